#!/usr/bin/env python3
"""Drives the gateway demo page in headless Chromium over the DevTools protocol, as a user would: typing into the
form and clicking the buttons with real input events. It asserts the status each step shows on the page and saves
a screenshot. Every wait is bounded; Chromium (its whole process group) is stopped on the way out.

usage: browser_check.py --url URL --user NAME --password PW --screenshot PATH [--chromium BIN] [--timeout S]
"""
import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket  # websocket-client


class CheckFailed(Exception):
    pass


class DevTools:
    """A minimal CDP client: numbered commands, events kept for inspection, every receive bounded."""

    def __init__(self, ws_url, timeout):
        self.ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        self.timeout = timeout
        self.next_id = 0
        self.events = []

    def send(self, method, **params):
        self.next_id += 1
        wanted = self.next_id
        self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == wanted:
                if "error" in message:
                    raise CheckFailed(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise CheckFailed(f"{method}: no answer within {self.timeout}s")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise CheckFailed(f"page script failed: {result['exceptionDetails'].get('text')} in {expression!r}")
        return result.get("result", {}).get("value")

    def close(self):
        self.ws.close()


def start_chromium(binary, profile, log):
    args = [
        binary, "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-sync", "--metrics-recording-only",
        "--password-store=basic", "--use-mock-keychain", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
        f"--user-data-dir={profile}", "--window-size=1280,1000", "about:blank",
    ]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root.
    # A session of its own, so stopping its group also stops the renderer and GPU helpers it forks.
    return subprocess.Popen(args, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)


def debugging_port(profile, process, timeout):
    # With --remote-debugging-port=0 Chromium picks a free port and writes it to DevToolsActivePort.
    path = os.path.join(profile, "DevToolsActivePort")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckFailed(f"chromium exited with status {process.returncode} (see its log)")
        try:
            with open(path) as f:
                first = f.readline().strip()
            if first:
                return int(first)
        except (FileNotFoundError, ValueError):
            pass
        time.sleep(0.1)
    raise CheckFailed(f"chromium did not open its DevTools port within {timeout}s")


def page_websocket(port, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=timeout) as response:
            targets = json.load(response)
        pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise CheckFailed("chromium shows no page target")


class Page:
    def __init__(self, tools, timeout):
        self.tools = tools
        self.timeout = timeout

    def wait_for(self, expression, what):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.tools.evaluate(expression):
                return
            time.sleep(0.05)
        raise CheckFailed(f"timed out after {self.timeout}s waiting for {what}")

    def text(self, element_id):
        return self.tools.evaluate(f"document.getElementById({json.dumps(element_id)}).textContent")

    def center(self, element_id):
        box = self.tools.evaluate(
            f"""(() => {{
                const e = document.getElementById({json.dumps(element_id)});
                if (!e) return null;
                e.scrollIntoView({{block: "center"}});
                const r = e.getBoundingClientRect();
                return {{x: r.left + r.width / 2, y: r.top + r.height / 2, disabled: !!e.disabled}};
            }})()""")
        if box is None:
            raise CheckFailed(f"no element #{element_id}")
        if box["disabled"]:
            raise CheckFailed(f"#{element_id} is disabled")
        return box["x"], box["y"]

    def click(self, element_id):
        x, y = self.center(element_id)
        for kind in ("mousePressed", "mouseReleased"):
            self.tools.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def type_into(self, element_id, text):
        self.click(element_id)
        self.wait_for(f"document.activeElement && document.activeElement.id === {json.dumps(element_id)}", f"focus on #{element_id}")
        self.tools.send("Input.insertText", text=text)

    def answers(self):
        return int(self.tools.evaluate("document.getElementById('result').dataset.answers || '0'"))

    def step(self, label, element_id, status, body_contains=None):
        """Clicks a button, waits for the page to show the answer, and checks the status (and body text) shown."""
        before = self.answers()
        self.click(element_id)
        self.wait_for(f"Number(document.getElementById('result').dataset.answers || '0') > {before}", f"the answer to {label}")
        shown = self.text("result-status").strip()
        line = f"{self.text('result-method')} {self.text('result-path')}"
        body = self.text("result-body")
        code = ""
        try:
            code = json.loads(body).get("error", "")
        except (ValueError, AttributeError):
            pass
        print(f"browser-check: {label:<34} {line:<24} -> {shown} {code}".rstrip(), flush=True)
        if shown != str(status):
            raise CheckFailed(f"{label}: the page shows status {shown}, expected {status}; body:\n{body}")
        if body_contains and body_contains not in body:
            raise CheckFailed(f"{label}: the body lacks {body_contains!r}:\n{body}")
        return body


def run_flow(page, url, user, password):
    tools = page.tools
    tools.send("Page.navigate", url=url)
    page.wait_for("document.readyState === 'complete' && document.body && document.body.dataset.ready === 'true'", "the page to load")
    state = tools.evaluate("document.getElementById('whoami').dataset.state")
    if state != "anonymous":
        raise CheckFailed(f"a fresh page should show nobody logged in, shows {state!r}")

    page.step("public call without a token", "call-unsecure", 200, "anyone can see this")
    page.type_into("username", user)
    page.type_into("password", password)
    page.step(f"log in as {user}", "login", 200, "access_token")
    page.wait_for("document.getElementById('whoami').dataset.state === 'logged-in'", "the page to show the login")
    subject = page.text("whoami-sub")
    if subject != user:
        raise CheckFailed(f"the page shows {subject!r} logged in, expected {user!r}")
    print(f"browser-check: logged in as {subject} with roles {page.text('whoami-roles')}", flush=True)
    if tools.evaluate("document.getElementById('password').value") != "":
        raise CheckFailed("the password field should be cleared after login")

    page.step("secured call with the token", "call-secure", 200, f"hello {user}")
    page.step("admin call without the role", "call-admin", 403)
    page.step("log out", "logout", 200)
    page.wait_for("document.getElementById('whoami').dataset.state === 'logged-out'", "the page to show the logout")
    page.step("secured call with the old token", "call-secure-old", 401, "token_revoked")


def page_problems(events, origin):
    """Script errors and console errors (a CSP violation is one), except the favicon the browser asks for itself."""
    problems = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            problems.append(params.get("exceptionDetails", {}).get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            problems.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") != "error":
                continue
            if "favicon.ico" in entry.get("url", ""):
                continue
            # The 4xx answers the flow provokes on purpose are logged by Chromium as failed loads.
            if entry.get("source") == "network" and entry.get("url", "").startswith(origin + "/"):
                continue
            problems.append(entry.get("text", "console error"))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds for each wait")
    parser.add_argument("--log", default=os.devnull, help="file for Chromium's own output")
    args = parser.parse_args()
    # `timeout` ends this script with SIGTERM: turn it into an exit so the finally below still stops Chromium.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    origin = "/".join(args.url.split("/", 3)[:3])

    profile = tempfile.mkdtemp(prefix="gateway-browser-check-")
    chromium = None
    tools = None
    try:
        with open(args.log, "ab") as log:
            chromium = start_chromium(args.chromium, profile, log)
        port = debugging_port(profile, chromium, 30)
        tools = DevTools(page_websocket(port, args.timeout), args.timeout)
        for domain in ("Page", "Runtime", "Log"):
            tools.send(f"{domain}.enable")
        tools.send("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1, mobile=False)
        page = Page(tools, args.timeout)
        run_flow(page, args.url, args.user, args.password)
        problems = page_problems(tools.events, origin)
        if problems:
            raise CheckFailed("the page logged errors:\n  " + "\n  ".join(problems))
        tools.evaluate("window.scrollTo(0, 0)")
        shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"browser-check: screenshot saved to {args.screenshot}", flush=True)
        return 0
    except CheckFailed as failure:
        print(f"browser-check: FAILED: {failure}", file=sys.stderr, flush=True)
        return 1
    except (OSError, websocket.WebSocketException) as error:
        print(f"browser-check: FAILED: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        if tools is not None:
            try:
                tools.close()
            except (OSError, websocket.WebSocketException):
                pass
        if chromium is not None:
            try:
                os.killpg(chromium.pid, signal.SIGTERM)
                chromium.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(chromium.pid, signal.SIGKILL)
                chromium.wait(timeout=10)
            except ProcessLookupError:
                pass
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
