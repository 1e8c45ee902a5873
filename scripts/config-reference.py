#!/usr/bin/env python3
"""Prints the gateway.json reference as Markdown tables, generated from the JSON Schema that
`gateway schema` prints (the same text editors use), so the README cannot drift from the decoder."""
import json
import sys

schema = json.load(sys.stdin)
defs = schema.get("$defs", {})


def type_of(p):
    if "$ref" in p:
        return p["$ref"].split("/")[-1]
    if "oneOf" in p or "anyOf" in p:
        return " or ".join(type_of(x) for x in p.get("oneOf", p.get("anyOf", [])))
    t = p.get("type", "")
    if t == "array":
        return "list of " + type_of(p.get("items", {}))
    if isinstance(t, list):
        return " or ".join(t)
    if "const" in p:
        return json.dumps(p["const"])
    if "enum" in p:
        return " | ".join(json.dumps(e) for e in p["enum"])
    return t or "value"


def table(title, obj):
    props = obj.get("properties", {})
    if not props:
        return
    required = set(obj.get("required", []))
    print(f"\n#### {title}\n")
    print("| key | type | required | description |")
    print("|---|---|---|---|")
    for k, p in props.items():
        desc = p.get("description", "").replace("|", "\\|").replace("\n", " ")
        kind = type_of(p).replace("|", "\\|")
        req = "yes" if k in required else ""
        print(f"| `{k}` | {kind} | {req} | {desc} |")


table("top level", schema)
for name, d in defs.items():
    if d.get("type") == "object" or "properties" in d:
        table(name, d)
