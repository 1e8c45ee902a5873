// The gateway demo page: plain JavaScript, no build step, no external resources.
//
// Tokens are kept in memory only (this module's `session`), never in localStorage or sessionStorage: a reload
// logs the page out, but no token outlives the tab or sits in storage where any script on the origin could read
// it later. That costs nothing in a demo and is the safer habit to show.
"use strict";

const endpoints = {
  login: "/auth/login",
  refresh: "/auth/refresh",
  logout: "/auth/logout",
  unsecure: "/api/unsecure",
  secure: "/api/secure",
  admin: "/api/admin/report",
};

const session = { access: null, refresh: null, revoked: null };
let answers = 0;
let expiryTimer = null;

const $ = (id) => document.getElementById(id);

// Decodes a JWT's payload for display. It checks nothing: the signature is the gateway's business.
function decodePayload(token) {
  const part = token.split(".")[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

// Long tokens are shortened on screen so the answer stays readable; the page keeps the full values.
function shortenTokens(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const copy = { ...value };
  for (const key of ["access_token", "refresh_token"]) {
    if (typeof copy[key] === "string" && copy[key].length > 24) {
      copy[key] = `${copy[key].slice(0, 16)}…(${copy[key].length} chars)`;
    }
  }
  return copy;
}

function formatRemaining(seconds) {
  if (seconds <= 0) return "expired";
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `in ${m}m ${String(s).padStart(2, "0")}s` : `in ${s}s`;
}

function renderWhoami() {
  const box = $("whoami");
  const claims = session.access ? decodePayload(session.access) : null;
  clearInterval(expiryTimer);
  expiryTimer = null;
  if (!claims) {
    box.dataset.state = session.revoked ? "logged-out" : "anonymous";
    $("whoami-summary").textContent = session.revoked ? "Logged out. The old access token is kept to show it is refused." : "Not logged in.";
    $("whoami-claims").hidden = true;
    return;
  }
  box.dataset.state = "logged-in";
  $("whoami-summary").textContent = `Logged in as ${claims.sub ?? "(no sub claim)"}.`;
  $("whoami-sub").textContent = claims.sub ?? "–";
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  $("whoami-roles").textContent = roles.length ? roles.join(", ") : "(none)";
  const showExpiry = () => {
    if (typeof claims.exp !== "number") {
      $("whoami-exp").textContent = "–";
      return;
    }
    const left = claims.exp - Math.floor(Date.now() / 1000);
    $("whoami-exp").textContent = `${new Date(claims.exp * 1000).toLocaleTimeString()} (${formatRemaining(left)})`;
  };
  showExpiry();
  expiryTimer = setInterval(showExpiry, 1000);
  $("whoami-claims").hidden = false;
}

function renderControls() {
  const loggedIn = session.access !== null;
  $("refresh").disabled = !loggedIn;
  $("logout").disabled = !loggedIn;
  $("call-secure-old").disabled = session.revoked === null;
}

function statusClass(status) {
  if (status >= 200 && status < 300) return "ok";
  if (status >= 400 && status < 500) return "client-error";
  return "server-error";
}

function showAnswer(method, path, auth, status, reason, body) {
  answers += 1;
  const result = $("result");
  result.dataset.status = String(status);
  result.dataset.answers = String(answers);
  result.className = `result ${statusClass(status)}`;
  $("result-method").textContent = method;
  $("result-path").textContent = path;
  $("result-status").textContent = String(status);
  $("result-status").title = reason;
  $("result-auth").textContent = auth;
  $("result-body").textContent = body;

  const item = document.createElement("li");
  item.className = statusClass(status);
  const code = body.match(/"error": "([a-z_]+)"/);
  item.textContent = `${method} ${path} → ${status}${code ? ` ${code[1]}` : ""}${auth ? ` (${auth})` : ""}`;
  const history = $("history");
  history.prepend(item);
  while (history.children.length > 8) history.lastElementChild.remove();
}

// One call: sends it, shows the answer, and returns {status, json} (status 0 when the request itself failed).
async function call(method, path, { token = null, json = undefined, auth = "" } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) headers["Content-Type"] = "application/json";
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10000);
  try {
    const response = await fetch(path, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      cache: "no-store",
      credentials: "same-origin",
      signal: abort.signal,
    });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    const shown = parsed === null ? text : JSON.stringify(shortenTokens(parsed), null, 2);
    showAnswer(method, path, auth, response.status, response.statusText, shown);
    return { status: response.status, json: parsed };
  } catch (error) {
    showAnswer(method, path, auth, 0, "no answer", `The request failed: ${error.message}`);
    return { status: 0, json: null };
  } finally {
    clearTimeout(timer);
  }
}

function storeTokens(json) {
  session.access = typeof json?.access_token === "string" ? json.access_token : null;
  session.refresh = typeof json?.refresh_token === "string" ? json.refresh_token : null;
}

function clearSession() {
  session.access = null;
  session.refresh = null;
  renderWhoami();
  renderControls();
}

async function login(event) {
  event.preventDefault();
  const username = $("username").value.trim();
  const password = $("password").value;
  const { status, json } = await call("POST", endpoints.login, { json: { username, password } });
  if (status === 200) {
    storeTokens(json);
    session.revoked = null;
    $("password").value = "";
  }
  renderWhoami();
  renderControls();
}

async function refresh() {
  const { status, json } = await call("POST", endpoints.refresh, {
    json: { refresh_token: session.refresh ?? "" },
    auth: "refresh token",
  });
  if (status === 200) {
    storeTokens(json);
    renderWhoami();
    renderControls();
  } else if (status === 401) {
    clearSession();
  }
}

async function logout() {
  const token = session.access;
  const { status } = await call("POST", endpoints.logout, {
    token,
    json: session.refresh ? { refresh_token: session.refresh } : undefined,
    auth: "bearer",
  });
  if (status === 200) session.revoked = token;
  // 401: the token is already expired or revoked, so there is nothing left to sign out of.
  if (status === 200 || status === 401) clearSession();
}

function apiCall(path) {
  return () => call("GET", path, { token: session.access, auth: session.access ? "bearer" : "no token" });
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", login);
  $("refresh").addEventListener("click", refresh);
  $("logout").addEventListener("click", logout);
  $("call-unsecure").addEventListener("click", apiCall(endpoints.unsecure));
  $("call-secure").addEventListener("click", apiCall(endpoints.secure));
  $("call-admin").addEventListener("click", apiCall(endpoints.admin));
  $("call-secure-old").addEventListener("click", () =>
    call("GET", endpoints.secure, { token: session.revoked, auth: "old token, logged out" }));
  renderWhoami();
  renderControls();
  document.body.dataset.ready = "true";
});
