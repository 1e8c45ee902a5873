#!/usr/bin/env python3
"""Mints N distinct RS256 or HS256 JWTs, one per line, for scripts/bench.sh.

The claims match what `gateway token` signs (iss, aud, sub, roles, iat, exp) and differ only in `jti`, so every
token is valid and distinct: a stream of them defeats any verified-token cache. Uses the `cryptography` package.
"""
import argparse
import base64
import hashlib
import hmac
import json
import time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--alg", choices=["RS256", "HS256"], required=True)
    ap.add_argument("--key", help="private key PEM (RS256)")
    ap.add_argument("--secret", help="HMAC secret (HS256)")
    ap.add_argument("--kid", required=True)
    ap.add_argument("--iss", required=True)
    ap.add_argument("--aud", required=True)
    ap.add_argument("--sub", default="bench")
    ap.add_argument("--roles", default="bench")
    ap.add_argument("--ttl", type=int, default=7200)
    ap.add_argument("--count", type=int, required=True)
    a = ap.parse_args()

    if a.alg == "RS256":
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding

        with open(a.key, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), None)

        def sign(msg: bytes) -> bytes:
            return key.sign(msg, padding.PKCS1v15(), hashes.SHA256())
    else:
        secret = a.secret.encode()

        def sign(msg: bytes) -> bytes:
            return hmac.new(secret, msg, hashlib.sha256).digest()

    now = int(time.time())
    head = b64(json.dumps({"alg": a.alg, "typ": "JWT", "kid": a.kid}, separators=(",", ":")).encode())
    roles = [r for r in a.roles.split(",") if r]
    for i in range(a.count):
        claims = {"iss": a.iss, "aud": a.aud, "sub": a.sub, "roles": roles, "iat": now, "exp": now + a.ttl,
                  "jti": "bench-%08d" % i}
        signing_input = head + "." + b64(json.dumps(claims, separators=(",", ":")).encode())
        print(signing_input + "." + b64(sign(signing_input.encode())))


if __name__ == "__main__":
    main()
