/// JSON Schema (draft 2020-12) of `gateway.json`, for editors and reference docs: point a file's
/// `"$schema"` at a copy of it. Object property sets match `ConfigKeys`, which a test enforces.
public enum ConfigSchema {
    public static let json: String = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "gateway.json",
          "description": "Configuration of the authentication gateway. Unknown keys are errors everywhere, so a misspelt key can never silently leave a policy at its default.",
          "type": "object",
          "additionalProperties": false,
          "required": ["listen", "upstreams", "routes"],
          "properties": {
            "$schema": { "type": "string", "description": "Location of this schema, for editors. Ignored by the gateway." },
            "listen": {
              "description": "Address or addresses to accept connections on: \"127.0.0.1:8080\", \"[::1]:8080\", \"0.0.0.0:8080\". Hosts are IP literals or \"localhost\"; ports 1-65535 (0 picks a free port). An entry may be an object with address and tls for a TLS listener.",
              "oneOf": [
                { "$ref": "#/$defs/listenEntry" },
                { "type": "array", "items": { "$ref": "#/$defs/listenEntry" }, "minItems": 1, "uniqueItems": true }
              ]
            },
            "workers": {
              "description": "Worker threads: \"auto\" (one per available CPU, the default) or 1-256.",
              "oneOf": [ { "const": "auto" }, { "type": "integer", "minimum": 1, "maximum": 256 } ]
            },
            "realm": {
              "type": "string", "minLength": 1, "pattern": "^[^\"\\\\\\u0000-\\u001f\\u007f]+$",
              "description": "Realm sent in WWW-Authenticate challenges. Default \"gateway\"."
            },
            "limits": { "$ref": "#/$defs/limits", "description": "Resource limits per request and connection." },
            "timeouts": { "$ref": "#/$defs/timeouts", "description": "How long to wait at each stage before giving up." },
            "upstreams": {
              "type": "object", "minProperties": 1,
              "description": "Backend pools by name (letters, digits, \"_\", \"-\", \".\"). A value is a list of targets or an object with targets and pool settings.",
              "propertyNames": { "pattern": "^[A-Za-z0-9_.-]+$" },
              "additionalProperties": {
                "oneOf": [
                  { "type": "array", "items": { "$ref": "#/$defs/target" }, "minItems": 1, "uniqueItems": true },
                  { "$ref": "#/$defs/upstream" }
                ]
              }
            },
            "issuers": {
              "type": "object",
              "description": "Trusted token issuers by name. Routes that need a token verify it against these.",
              "propertyNames": { "pattern": "^[A-Za-z0-9_.-]+$" },
              "additionalProperties": { "$ref": "#/$defs/issuer" }
            },
            "store": { "$ref": "#/$defs/store", "description": "SQLite database for the built-in issuer's users and refresh tokens and for token revocations. Required by issuer." },
            "issuer": { "$ref": "#/$defs/issuerSection", "description": "The gateway's own token issuer: login, refresh, logout, register and JWKS endpoints, matched before routes. Requires store." },
            "rate_limit": { "$ref": "#/$defs/rateLimit", "description": "Rate limiting per client address." },
            "routes": {
              "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/route" },
              "description": "Routes in order; the first that matches a request wins. Every route states its auth policy."
            },
            "log": { "$ref": "#/$defs/log", "description": "Logging." },
            "admin": { "$ref": "#/$defs/admin", "description": "Admin listener for /healthz, /readyz, /metrics and POST /reload. Default none." },
            "pid_file": { "$ref": "#/$defs/filePath", "description": "File the running gateway writes its process id to, so `gateway reload` can signal it; relative to this file's directory. Default none." }
          },
          "$defs": {
            "address": {
              "type": "string",
              "pattern": "^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|localhost|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$"
            },
            "listenEntry": {
              "oneOf": [ { "$ref": "#/$defs/address" }, { "$ref": "#/$defs/listener" } ]
            },
            "target": {
              "type": "string",
              "description": "A target address; \"https://\" in front connects to it with TLS, \"http://\" or nothing with plain HTTP.",
              "pattern": "^(https?://)?((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|localhost|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$"
            },
            "httpsURL": { "type": "string", "pattern": "^(https://[^\\s/?#@]+|http://(127\\.0\\.0\\.1|\\[::1\\]|localhost)(:[0-9]{1,5})?)([/?][^\\s#]*)?$" },
            "listener": {
              "type": "object",
              "additionalProperties": false,
              "required": ["address"],
              "properties": {
                "address": { "$ref": "#/$defs/address", "description": "Address to accept connections on." },
                "tls": { "$ref": "#/$defs/serverTLS", "description": "Terminate TLS on this address. Default: plain HTTP." }
              }
            },
            "serverTLS": {
              "type": "object",
              "additionalProperties": false,
              "required": ["cert", "key"],
              "properties": {
                "cert": { "$ref": "#/$defs/filePath", "description": "Default certificate chain (PEM), for clients whose SNI matches no other certificate." },
                "key": { "$ref": "#/$defs/filePath", "description": "Private key (PEM) of the default certificate." },
                "certificates": { "type": "array", "items": { "$ref": "#/$defs/certificate" }, "description": "More certificates, chosen by SNI against their SAN DNS names (wildcards included). Default none." },
                "min_version": { "enum": ["1.2", "1.3"], "description": "Lowest TLS version accepted: \"1.2\" (the default) or \"1.3\". Earlier versions are never accepted." },
                "ciphers": { "type": "string", "pattern": "^[!-~]+$", "description": "OpenSSL cipher list for TLS 1.2. Default Mozilla intermediate: ECDHE with AES-GCM or ChaCha20-Poly1305 only. Not with min_version \"1.3\"." },
                "session_tickets": { "type": "boolean", "description": "Resume sessions with tickets, under keys that rotate. Default true." },
                "ticket_key_rotation": { "$ref": "#/$defs/duration", "description": "How often the ticket key changes; tickets under the previous key are still accepted. Default 1h; 1m to 24h." },
                "handshake_timeout": { "$ref": "#/$defs/duration", "description": "A client that has not completed the handshake by then is disconnected. Default 10s; 1s to 60s." }
              }
            },
            "certificate": {
              "type": "object",
              "additionalProperties": false,
              "required": ["cert", "key"],
              "properties": {
                "cert": { "$ref": "#/$defs/filePath", "description": "Certificate chain (PEM), relative to this file's directory." },
                "key": { "$ref": "#/$defs/filePath", "description": "Its private key (PEM)." }
              }
            },
            "upstreamTLS": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "ca": { "$ref": "#/$defs/filePath", "description": "CA certificates (PEM) the targets' certificates must chain to. Default the system store." },
                "server_name": { "type": "string", "minLength": 1, "description": "Name sent as SNI and verified against the certificate. Default each target's host." },
                "verify": { "type": "boolean", "description": "Verify the targets' certificates and names. Default true; false is allowed, and `gateway check` warns." }
              }
            },
            "remoteKeys": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "refresh": { "$ref": "#/$defs/duration", "description": "Refresh interval when the JWKS response has no Cache-Control max-age. Default 1h; between min_refresh and max_refresh." },
                "min_refresh": { "$ref": "#/$defs/duration", "description": "Shortest refresh interval; a smaller max-age is raised to it. Default 1m." },
                "max_refresh": { "$ref": "#/$defs/duration", "description": "Longest refresh interval; a larger max-age is lowered to it. Default 24h." },
                "cooldown": { "$ref": "#/$defs/duration", "description": "Least time between fetches caused by unknown kids, so random kids cannot flood the provider. Default 30s; 1s to 1h." },
                "max_stale": { "$ref": "#/$defs/duration", "description": "How long the last good keys keep serving while the provider fails. Default 24h; 0s to 30d." },
                "timeout": { "$ref": "#/$defs/duration", "description": "Time limit of one fetch. Default 5s; 100ms to 60s." }
              }
            },
            "admin": {
              "type": "object",
              "additionalProperties": false,
              "required": ["listen"],
              "properties": {
                "listen": { "$ref": "#/$defs/address", "description": "Address of the admin listener; a loopback address unless allow_remote. Must not share a port with listen." },
                "allow_remote": { "type": "boolean", "description": "Allow a non-loopback admin address. The admin endpoints have no authentication. Default false." }
              }
            },
            "duration": {
              "type": "string", "minLength": 2,
              "pattern": "^([0-9]{1,9}d)?([0-9]{1,9}h)?([0-9]{1,9}m)?([0-9]{1,9}s)?([0-9]{1,9}ms)?$"
            },
            "size": {
              "oneOf": [
                { "type": "integer", "minimum": 0 },
                { "type": "string", "pattern": "^[0-9]{1,12}(B|kB|KiB|MB|MiB|GB|GiB)$" }
              ]
            },
            "rate": { "type": "string", "pattern": "^[0-9]{1,9}/(s|m|min|h|d)$" },
            "method": { "type": "string", "pattern": "^[!#$%&'*+.^_`|~0-9A-Z-]+$" },
            "routePath": { "type": "string", "pattern": "^/" },
            "filePath": { "type": "string", "minLength": 1 },
            "claimPath": { "type": "string", "pattern": "^[^.]+(\\.[^.]+)*$" },
            "algorithm": {
              "enum": ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
            },
            "stringList": { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1 },
            "limits": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "max_target_bytes": { "$ref": "#/$defs/size", "description": "Longest request target (path and query). Default 8KiB; at most max_head_bytes." },
                "max_head_bytes": { "$ref": "#/$defs/size", "description": "Largest request head (request line and headers). Default 64KiB." },
                "max_headers": { "type": "integer", "minimum": 1, "maximum": 10000, "description": "Most header fields in a request. Default 100." },
                "max_body_bytes": { "$ref": "#/$defs/size", "description": "Largest request body; routes may override. Default 10MiB." },
                "max_token_bytes": { "$ref": "#/$defs/size", "description": "Longest bearer token accepted. Default 8KiB; at most max_head_bytes." },
                "max_connections": { "type": "integer", "minimum": 1, "description": "Open client connections in total. Default 20000." },
                "max_connections_per_worker": { "type": "integer", "minimum": 1, "description": "Open client connections per worker. Default max_connections divided by the number of workers." },
                "max_connections_per_ip": { "type": "integer", "minimum": 1, "description": "Open connections from one client address. Default 256." },
                "max_requests_per_connection": { "type": "integer", "minimum": 1, "description": "Requests served on one keep-alive connection before it is closed. Default 10000." },
                "drain_body_bytes": { "$ref": "#/$defs/size", "description": "A rejected request's body up to this size is read and discarded to keep the connection open; a larger one closes it. Default 64KiB." }
              }
            },
            "timeouts": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "request_head": { "$ref": "#/$defs/duration", "description": "Time to receive a complete request head. Default 10s." },
                "body_idle": { "$ref": "#/$defs/duration", "description": "Longest pause while receiving a request body. Default 30s." },
                "keep_alive": { "$ref": "#/$defs/duration", "description": "How long an idle client connection is kept. Default 60s." },
                "upstream_connect": { "$ref": "#/$defs/duration", "description": "Time to connect to an upstream target; upstreams may override. Default 3s." },
                "upstream_response": { "$ref": "#/$defs/duration", "description": "Time for an upstream to start responding; upstreams may override. Default 30s." },
                "drain": { "$ref": "#/$defs/duration", "description": "Grace period for in-flight requests at shutdown. Default 10s." }
              }
            },
            "upstream": {
              "type": "object",
              "additionalProperties": false,
              "required": ["targets"],
              "properties": {
                "targets": {
                  "description": "Target addresses, used in turn; \"https://host:port\" connects with TLS.",
                  "oneOf": [
                    { "$ref": "#/$defs/target" },
                    { "type": "array", "items": { "$ref": "#/$defs/target" }, "minItems": 1, "uniqueItems": true }
                  ]
                },
                "max_idle": { "type": "integer", "minimum": 0, "description": "Idle connections kept per worker per target (closed after idle_timeout). Default 256." },
                "idle_timeout": { "$ref": "#/$defs/duration", "description": "How long an idle upstream connection is kept. Default 60s." },
                "connect_timeout": { "$ref": "#/$defs/duration", "description": "Overrides timeouts.upstream_connect." },
                "response_timeout": { "$ref": "#/$defs/duration", "description": "Overrides timeouts.upstream_response." },
                "eject_after": { "type": "integer", "minimum": 1, "maximum": 1000, "description": "Consecutive failures that take a target out of rotation. Default 3." },
                "eject_for": { "$ref": "#/$defs/duration", "description": "How long an ejected target stays out. Default 10s." },
                "tls": { "$ref": "#/$defs/upstreamTLS", "description": "Certificate checks for https targets; only with at least one. Default: system store, each target's host." }
              }
            },
            "issuer": {
              "type": "object",
              "additionalProperties": false,
              "required": ["iss"],
              "anyOf": [ { "required": ["keys"] }, { "required": ["discovery"] } ],
              "properties": {
                "iss": { "type": "string", "minLength": 1, "description": "Required value of the token's iss claim (exact match). With discovery, the issuer's https URL." },
                "audiences": { "$ref": "#/$defs/stringList", "description": "The token's aud must contain one of these. Default: aud is not checked." },
                "leeway": { "$ref": "#/$defs/duration", "description": "Clock skew allowed on exp, nbf and iat. Default 30s; at most 1h." },
                "require_exp": { "type": "boolean", "description": "Reject tokens without exp. Default true." },
                "max_age": { "$ref": "#/$defs/duration", "description": "Reject tokens whose iat is older than this. Default: no limit." },
                "typ": { "type": "string", "minLength": 1, "description": "Required typ header (e.g. \"JWT\" or \"at+jwt\"). Default: not checked." },
                "roles_claim": { "$ref": "#/$defs/claimPath", "description": "Claim holding roles, dotted for nested claims (\"realm_access.roles\"). Default \"roles\"." },
                "scopes_claim": { "$ref": "#/$defs/claimPath", "description": "Claim holding scopes (a space-separated string or a list). Default \"scope\"." },
                "identity_headers": {
                  "type": "object",
                  "description": "Headers set on forwarded requests from verified claims, replacing any the client sent: header name to claim path. Default {\"X-Auth-Subject\": \"sub\", \"X-Auth-Roles\": roles_claim, \"X-Auth-Issuer\": \"iss\"}.",
                  "propertyNames": { "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
                  "additionalProperties": { "$ref": "#/$defs/claimPath" }
                },
                "keys": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/key" }, "description": "Verification keys; at least one. Required unless discovery." },
                "discovery": { "type": "boolean", "description": "Fetch the keys from the jwks_uri of iss + \"/.well-known/openid-configuration\" instead of listing keys. Default false." },
                "jwks": { "$ref": "#/$defs/remoteKeys", "description": "Refresh of remote keys (a jwks_uri key or discovery)." }
              }
            },
            "key": {
              "type": "object",
              "additionalProperties": false,
              "oneOf": [
                { "required": ["secret_env", "alg"] },
                { "required": ["public_key", "alg"] },
                { "required": ["jwks_file"] },
                { "required": ["jwks_uri"] }
              ],
              "properties": {
                "kid": { "type": "string", "minLength": 1, "description": "Key id matched against the token's kid header." },
                "alg": { "$ref": "#/$defs/algorithm", "description": "The one algorithm this key verifies; the token's alg header must equal it. HS* with secret_env only." },
                "secret_env": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "description": "Name of the environment variable holding the HMAC secret. Secrets never appear in the file." },
                "public_key": { "$ref": "#/$defs/filePath", "description": "PEM public key file, relative to this file's directory." },
                "private_key": { "$ref": "#/$defs/filePath", "description": "PEM private key matching public_key; used only by `gateway token`." },
                "jwks_file": { "$ref": "#/$defs/filePath", "description": "JWKS file with one or more keys, relative to this file's directory." },
                "jwks_uri": { "$ref": "#/$defs/httpsURL", "description": "https URL of a JWKS, fetched and refreshed per the issuer's jwks settings (plain http only for loopback). The issuer's only key." },
                "algs": { "type": "array", "items": { "$ref": "#/$defs/algorithm" }, "description": "With jwks_file or jwks_uri: algorithms allowed for keys that carry no alg." },
                "ca": { "$ref": "#/$defs/filePath", "description": "With jwks_uri: CA certificates (PEM) for the JWKS server. Default the system store." }
              }
            },
            "rateLimit": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "default": {
                  "description": "Limit for every route that does not set its own, or false for none (the default).",
                  "oneOf": [ { "const": false }, { "$ref": "#/$defs/limit" } ]
                },
                "trusted_proxies": {
                  "type": "array", "items": { "type": "string", "pattern": "^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$" },
                  "description": "Address ranges (\"10.0.0.0/8\") whose X-Forwarded-For is believed. Default none: clients are limited by their own address."
                },
                "ipv6_prefix": { "type": "integer", "minimum": 1, "maximum": 128, "description": "IPv6 clients sharing this prefix count as one. Default 64." },
                "max_keys": { "type": "integer", "minimum": 1, "description": "Most client keys tracked at once. Default 100000." },
                "headers": { "type": "boolean", "description": "Send RateLimit-* headers on allowed responses. Default false." }
              }
            },
            "limit": {
              "type": "object",
              "additionalProperties": false,
              "required": ["rate"],
              "properties": {
                "rate": { "$ref": "#/$defs/rate", "description": "Sustained rate: \"100/s\", \"6000/m\", \"6000/min\", \"10/h\", \"1000/d\"." },
                "burst": { "type": "integer", "minimum": 1, "description": "Requests allowed at once above the rate. Default one second's worth (at least 1)." }
              }
            },
            "route": {
              "type": "object",
              "additionalProperties": false,
              "required": ["upstream", "auth"],
              "oneOf": [ { "required": ["path"] }, { "required": ["prefix"] } ],
              "properties": {
                "name": { "type": "string", "minLength": 1, "description": "Name for logs and messages. Default \"<METHODS> <host><path>\"; must be unique." },
                "path": { "$ref": "#/$defs/routePath", "description": "Exact path to match, already normalised (no \"//\", \".\" or \"..\" segments, no needless percent-encoding)." },
                "prefix": { "$ref": "#/$defs/routePath", "description": "Path prefix to match, already normalised. End it with \"/\" to match whole segments." },
                "methods": { "type": "array", "minItems": 1, "uniqueItems": true, "items": { "$ref": "#/$defs/method" }, "description": "Methods matched, uppercase. Default all." },
                "host": { "type": "string", "description": "Host header to match (case-insensitive, optional :port). Default any." },
                "upstream": { "type": "string", "description": "Name of the upstream to forward to." },
                "auth": { "$ref": "#/$defs/authRule", "description": "Access policy: \"public\", \"authenticated\", {\"any\": [roles]}, {\"all\": [roles]}, or an object with issuers, roles, scopes and per-method rules." },
                "token": { "$ref": "#/$defs/token", "description": "Where else to look for the token. Default: Authorization: Bearer only." },
                "forward_authorization": { "type": "boolean", "description": "Pass the client's Authorization header upstream. Default false." },
                "allow_encoded_slash": { "type": "boolean", "description": "Allow %2F in request paths (and in path or prefix). Default false." },
                "rate_limit": {
                  "description": "This route's limit, or false for none. Default: rate_limit.default.",
                  "oneOf": [ { "const": false }, { "$ref": "#/$defs/routeRateLimit" } ]
                },
                "max_body_bytes": { "$ref": "#/$defs/size", "description": "Largest request body for this route. Default limits.max_body_bytes." },
                "cors": { "$ref": "#/$defs/cors", "description": "Cross-origin access for browsers: answers preflights and adds CORS headers for allowed origins. Default none." }
              }
            },
            "routeRateLimit": {
              "type": "object",
              "additionalProperties": false,
              "required": ["rate"],
              "properties": {
                "rate": { "$ref": "#/$defs/rate", "description": "Sustained rate per client address." },
                "burst": { "type": "integer", "minimum": 1, "description": "Requests allowed at once above the rate. Default one second's worth." },
                "by_subject": { "$ref": "#/$defs/limit", "description": "An additional limit per token subject, once a token is verified." },
                "headers": { "type": "boolean", "description": "Overrides rate_limit.headers for this route." }
              }
            },
            "authRule": {
              "oneOf": [ { "enum": ["public", "authenticated"] }, { "$ref": "#/$defs/auth" } ]
            },
            "methodAuthRule": {
              "oneOf": [ { "enum": ["public", "authenticated"] }, { "$ref": "#/$defs/methodAuth" } ]
            },
            "auth": {
              "type": "object",
              "additionalProperties": false,
              "minProperties": 1,
              "properties": {
                "issuers": { "$ref": "#/$defs/stringList", "description": "Issuer names whose tokens are accepted. Default every configured issuer." },
                "roles": { "$ref": "#/$defs/claimRule", "description": "Roles the token must carry." },
                "scopes": { "$ref": "#/$defs/claimRule", "description": "Scopes the token must carry." },
                "methods": {
                  "type": "object", "minProperties": 1,
                  "description": "Rules for some methods, keyed by comma-separated method names (\"POST,PUT\"); other methods use this object's rule. A rule without issuers keeps this object's issuers.",
                  "additionalProperties": { "$ref": "#/$defs/methodAuthRule" }
                },
                "any": { "$ref": "#/$defs/stringList", "description": "Shorthand for roles: {\"any\": [...]}." },
                "all": { "$ref": "#/$defs/stringList", "description": "Shorthand for roles: {\"all\": [...]}." }
              }
            },
            "methodAuth": {
              "type": "object",
              "additionalProperties": false,
              "minProperties": 1,
              "properties": {
                "issuers": { "$ref": "#/$defs/stringList", "description": "Issuer names whose tokens are accepted. Default the enclosing rule's issuers." },
                "roles": { "$ref": "#/$defs/claimRule", "description": "Roles the token must carry." },
                "scopes": { "$ref": "#/$defs/claimRule", "description": "Scopes the token must carry." },
                "any": { "$ref": "#/$defs/stringList", "description": "Shorthand for roles: {\"any\": [...]}." },
                "all": { "$ref": "#/$defs/stringList", "description": "Shorthand for roles: {\"all\": [...]}." }
              }
            },
            "claimRule": {
              "type": "object",
              "additionalProperties": false,
              "minProperties": 1,
              "maxProperties": 1,
              "properties": {
                "any": { "$ref": "#/$defs/stringList", "description": "At least one of these values is required." },
                "all": { "$ref": "#/$defs/stringList", "description": "Every one of these values is required." }
              }
            },
            "token": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "cookie": { "type": "string", "minLength": 1, "description": "Cookie that may carry the token." },
                "query": { "type": "string", "minLength": 1, "description": "Query parameter that may carry the token." }
              }
            },
            "endpointPath": { "type": "string", "pattern": "^/[^?#%]*$" },
            "origin": { "type": "string", "pattern": "^(\\*|https?://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[1-9][0-9]{0,4})?)$" },
            "store": {
              "type": "object",
              "additionalProperties": false,
              "required": ["path"],
              "properties": {
                "path": { "$ref": "#/$defs/filePath", "description": "Database file, relative to this file's directory; created on first use." },
                "poll_interval": { "$ref": "#/$defs/duration", "description": "How often a running gateway checks for revocations made elsewhere (gateway revoke). Default 1s; 100ms to 10s." },
                "prune_interval": { "$ref": "#/$defs/duration", "description": "How often expired revocations and refresh tokens are deleted. Default 1h; 1m to 7d." }
              }
            },
            "issuerSection": {
              "type": "object",
              "additionalProperties": false,
              "required": ["iss", "key"],
              "properties": {
                "name": { "type": "string", "pattern": "^[A-Za-z0-9_.-]+$", "description": "Issuer name that route auth issuers lists may use. Default \"gateway\"; must not be a key of issuers." },
                "iss": { "type": "string", "minLength": 1, "description": "The iss claim of issued tokens." },
                "audiences": { "$ref": "#/$defs/stringList", "description": "Put in issued tokens' aud and required on verification. Default none." },
                "access_ttl": { "$ref": "#/$defs/duration", "description": "Lifetime of access tokens. Default 15m; 1m to 24h." },
                "refresh_ttl": { "$ref": "#/$defs/duration", "description": "Lifetime of refresh tokens; longer than access_ttl. Default 14d; 1h to 365d." },
                "key": { "$ref": "#/$defs/issuerKey", "description": "The signing key." },
                "roles_claim": { "type": "string", "pattern": "^[^.]+$", "description": "Claim the user's roles go into: one name without dots, not a registered claim. Default \"roles\"." },
                "claims": {
                  "type": "array", "uniqueItems": true, "items": { "enum": ["sub", "roles", "jti", "iat", "exp", "nbf"] },
                  "allOf": [ { "contains": { "const": "sub" } }, { "contains": { "const": "jti" } }, { "contains": { "const": "exp" } } ],
                  "description": "Claims put in access tokens (besides iss and aud). Must include sub, jti (logout revokes by it) and exp (every token expires). Default all six."
                },
                "endpoints": { "$ref": "#/$defs/issuerEndpoints", "description": "Paths of the issuer endpoints; each distinct." },
                "register": { "$ref": "#/$defs/register", "description": "Self-service sign-up. Default disabled." },
                "login_limit": { "$ref": "#/$defs/loginLimit", "description": "Login attempts allowed per client address and per username." },
                "register_limit": { "$ref": "#/$defs/limit", "description": "Registrations per client address. Default 5/h burst 5." },
                "password_hash": { "$ref": "#/$defs/passwordHash", "description": "scrypt cost of new password hashes." },
                "cors": { "$ref": "#/$defs/cors", "description": "Cross-origin access to the issuer endpoints; methods default to POST and GET. Default none." }
              }
            },
            "issuerKey": {
              "type": "object",
              "additionalProperties": false,
              "required": ["alg"],
              "oneOf": [ { "required": ["private_key"] }, { "required": ["secret_env"] } ],
              "properties": {
                "kid": { "type": "string", "minLength": 1, "description": "Key id put in the tokens' kid header and the JWKS. Default none." },
                "alg": { "$ref": "#/$defs/algorithm", "description": "Signing algorithm: HS* with secret_env, RS*, PS*, ES* or EdDSA with private_key." },
                "private_key": { "$ref": "#/$defs/filePath", "description": "PEM private key file, relative to this file's directory; its public half is published at the JWKS endpoint." },
                "secret_env": { "type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "description": "Name of the environment variable holding the HMAC secret; never published." }
              }
            },
            "issuerEndpoints": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "login": { "$ref": "#/$defs/endpointPath", "description": "Exchanges a username and password for tokens. Default \"/auth/login\"." },
                "refresh": { "$ref": "#/$defs/endpointPath", "description": "Exchanges a refresh token for new tokens. Default \"/auth/refresh\"." },
                "logout": { "$ref": "#/$defs/endpointPath", "description": "Revokes the presented access token (and a refresh token). Default \"/auth/logout\"." },
                "register": { "$ref": "#/$defs/endpointPath", "description": "Creates a user, when register.enabled. Default \"/auth/register\"." },
                "jwks": { "$ref": "#/$defs/endpointPath", "description": "Publishes the public signing key. Default \"/.well-known/jwks.json\"." }
              }
            },
            "register": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "enabled": { "type": "boolean", "description": "Serve the register endpoint. Default false." },
                "roles": {
                  "type": "array", "uniqueItems": true, "items": { "type": "string", "pattern": "^[A-Za-z0-9_.:-]+$" },
                  "description": "Roles every self-registered user gets. Default none."
                }
              }
            },
            "loginLimit": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "per_ip": { "$ref": "#/$defs/limit", "description": "Per client address. Default 10/m burst 10." },
                "per_username": { "$ref": "#/$defs/limit", "description": "Per username, from any address. Default 5/m burst 5." }
              }
            },
            "passwordHash": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "ln": { "type": "integer", "minimum": 14, "maximum": 20, "description": "log2 of the scrypt cost N. Default 15 (32MiB, about 0.1s per hash)." },
                "r": { "type": "integer", "minimum": 1, "maximum": 32, "description": "scrypt block size. Default 8; 128·r·2^ln bytes must not exceed 1GiB." },
                "p": { "type": "integer", "minimum": 1, "maximum": 16, "description": "scrypt parallelism. Default 1." }
              }
            },
            "cors": {
              "type": "object",
              "additionalProperties": false,
              "required": ["origins"],
              "properties": {
                "origins": {
                  "type": "array", "minItems": 1, "uniqueItems": true, "items": { "$ref": "#/$defs/origin" },
                  "description": "Allowed origins, exactly as browsers send them (\"https://app.example.com\", lowercase, no path or trailing \"/\"), or [\"*\"] for any."
                },
                "methods": { "type": "array", "minItems": 1, "uniqueItems": true, "items": { "$ref": "#/$defs/method" }, "description": "Methods preflights may ask for. Default the route's methods (GET, HEAD, POST, PUT, PATCH, DELETE when it has none; POST and GET for the issuer)." },
                "headers": { "type": "array", "items": { "$ref": "#/$defs/headerName" }, "description": "Request headers preflights may ask for. Default [\"Authorization\", \"Content-Type\"]." },
                "expose_headers": { "type": "array", "items": { "$ref": "#/$defs/headerName" }, "description": "Response headers scripts may read (X-Request-Id always is). Default none." },
                "credentials": { "type": "boolean", "description": "Allow cookies and credentials (Access-Control-Allow-Credentials). Not with origins [\"*\"]. Default false." },
                "max_age": { "$ref": "#/$defs/duration", "description": "How long browsers may cache a preflight answer. Default 10m; 0s to 24h." }
              }
            },
            "headerName": { "type": "string", "pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
            "log": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "access": { "type": "string", "minLength": 1, "description": "Access log: \"off\", \"stderr\" (the default), \"stdout\" or a file path relative to this file's directory." },
                "level": { "enum": ["trace", "debug", "info", "notice", "warning", "error", "critical"], "description": "Diagnostic log level. Default \"info\"." }
              }
            }
          }
        }
        """#
}
