@testable import Config

/// Sample configs used across the tests; they double as documentation of the file format.
enum Fixtures {
    static let minimal = """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ]
        }
        """

    static let full = """
        {
          "$schema": "./gateway.schema.json",
          "listen": ["0.0.0.0:8080", "[::1]:8081"],
          "workers": 4,
          "realm": "example",
          "limits": {
            "max_target_bytes": "4KiB", "max_head_bytes": "32KiB", "max_headers": 64, "max_body_bytes": "1MiB",
            "max_token_bytes": 4096, "max_connections": 1000, "max_connections_per_worker": 500,
            "max_connections_per_ip": 50, "max_requests_per_connection": 100, "drain_body_bytes": "16KiB"
          },
          "timeouts": {
            "request_head": "5s", "body_idle": "15s", "keep_alive": "1m", "upstream_connect": "500ms",
            "upstream_response": "1m30s", "drain": "20s"
          },
          "upstreams": {
            "legacy": ["127.0.0.1:9000", "127.0.0.1:9001"],
            "billing": {
              "targets": ["[::1]:9100"], "max_idle": 8, "idle_timeout": "30s", "connect_timeout": "1s",
              "eject_after": 5, "eject_for": "1m"
            }
          },
          "issuers": {
            "internal": {
              "iss": "https://auth.example.com",
              "audiences": ["gateway", "legacy"],
              "leeway": "10s",
              "require_exp": true,
              "max_age": "1d",
              "typ": "JWT",
              "roles_claim": "realm_access.roles",
              "scopes_claim": "scp",
              "identity_headers": { "X-User": "sub", "X-Tenant": "tenant.id" },
              "keys": [
                { "kid": "k1", "alg": "HS256", "secret_env": "GATEWAY_HS_KEY" },
                { "kid": "k2", "alg": "RS256", "public_key": "keys/rs.pub.pem", "private_key": "/etc/gw/rs.pem" }
              ]
            },
            "partner": {
              "iss": "https://partner.example.org",
              "keys": [ { "jwks_file": "partner/jwks.json", "algs": ["ES256", "EdDSA"] } ]
            }
          },
          "rate_limit": {
            "default": { "rate": "100/s", "burst": 200 },
            "trusted_proxies": ["10.0.0.0/8", "::1"],
            "ipv6_prefix": 56,
            "max_keys": 5000,
            "headers": true
          },
          "routes": [
            { "name": "health", "path": "/health", "methods": ["GET"], "upstream": "legacy", "auth": "public",
              "rate_limit": false },
            { "prefix": "/api/", "methods": ["GET", "POST", "DELETE"], "host": "API.example.com", "upstream": "legacy",
              "auth": {
                "issuers": ["internal"],
                "roles": { "any": ["reader", "writer"] },
                "methods": { "POST,DELETE": { "all": ["writer", "auditor"] } }
              },
              "token": { "cookie": "session", "query": "access_token" },
              "forward_authorization": true,
              "rate_limit": { "rate": "6000/min", "burst": 50, "by_subject": { "rate": "10/s" }, "headers": false },
              "max_body_bytes": "2MiB" },
            { "name": "billing", "prefix": "/billing/%2Fraw/", "allow_encoded_slash": true, "upstream": "billing",
              "auth": { "scopes": { "all": ["billing:read"] } } },
            { "prefix": "/admin/", "upstream": "legacy", "auth": { "any": ["admin"] } }
          ],
          "log": { "access": "logs/access.log", "level": "notice" }
        }
        """
}

extension Fixtures {
    /// A valid config with one issuer ("main") and the given route.
    static func route(_ route: String) -> String {
        """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "issuers": { "main": { "iss": "https://auth.example.com", "keys": [ { "alg": "HS256", "secret_env": "KEY" } ] } },
          "routes": [ \(route) ]
        }
        """
    }

    /// The minimal config plus extra top-level members.
    static func top(_ members: String) -> String {
        """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ],
          \(members)
        }
        """
    }

    /// A valid config whose single issuer "main" is the given object.
    static func issuer(_ issuer: String) -> String {
        """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "issuers": { "main": \(issuer) },
          "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "authenticated" } ]
        }
        """
    }

    /// An issuer object with the given keys.
    static func keys(_ keys: String) -> String {
        issuer(#"{ "iss": "https://auth.example.com", "keys": [ \#(keys) ] }"#)
    }

    static func decode(_ json: String, base: String = "/etc/gateway") -> Result<GatewayConfig, ConfigErrors> {
        ConfigLoader.decode(Array(json.utf8), baseDirectory: base)
    }

    static func problems(_ json: String) -> [ConfigProblem] {
        switch decode(json) {
        case .success: return []
        case .failure(let errors): return errors.problems
        }
    }
}

extension Fixtures {
    /// The minimal config plus a store and an HS256 built-in issuer with the given extra members.
    static func builtIn(_ members: String = "", store: Bool = true, extra: String = "") -> String {
        let issuer = #""iss": "https://gateway.demo", "key": { "alg": "HS256", "secret_env": "GW_SECRET" }"#
        return top(
            (store ? #""store": { "path": "gateway.db" }, "# : "")
                + #""issuer": { \#(issuer)\#(members.isEmpty ? "" : ", " + members) }"# + (extra.isEmpty ? "" : ", " + extra))
    }

    /// A built-in issuer whose members are exactly the given ones (for key and iss problems).
    static func bareIssuer(_ members: String) -> String {
        top(#""store": { "path": "gateway.db" }, "issuer": { \#(members) }"#)
    }

    /// A public catch-all route with the given `cors` object.
    static func cors(_ cors: String, methods: String? = nil) -> String {
        let list = methods.map { #", "methods": \#($0)"# } ?? ""
        return route(#"{ "prefix": "/", "upstream": "legacy", "auth": "public"\#(list), "cors": \#(cors) }"#)
    }
}

extension Fixtures {
    /// A config using every issue 9 section: a TLS listener, an https upstream, remote keys, admin and a pid file.
    static let operations = #"""
        {
          "listen": [
            "127.0.0.1:8080",
            { "address": "127.0.0.1:8443",
              "tls": {
                "cert": "certs/default.pem", "key": "certs/default.key",
                "certificates": [ { "cert": "certs/api.pem", "key": "certs/api.key" } ],
                "min_version": "1.3", "session_tickets": true, "ticket_key_rotation": "30m", "handshake_timeout": "5s"
              } }
          ],
          "upstreams": {
            "legacy": ["127.0.0.1:9000"],
            "secure-api": {
              "targets": ["https://10.0.0.5:8443", "https://10.0.0.6:8443"],
              "tls": { "ca": "certs/internal-ca.pem", "server_name": "api.internal" }
            }
          },
          "issuers": {
            "idp": {
              "iss": "https://idp.example.com/realms/x",
              "keys": [ { "jwks_uri": "https://idp.example.com/realms/x/protocol/openid-connect/certs", "algs": ["RS256"],
                          "ca": "certs/idp-ca.pem" } ],
              "jwks": { "refresh": "30m", "min_refresh": "5m", "max_refresh": "12h", "cooldown": "10s", "max_stale": "2d",
                        "timeout": "2s" }
            },
            "oidc": { "iss": "https://login.example.org/", "discovery": true }
          },
          "admin": { "listen": "127.0.0.1:9901" },
          "pid_file": "run/gateway.pid",
          "routes": [
            { "prefix": "/api/", "upstream": "secure-api", "auth": { "issuers": ["idp", "oidc"] } },
            { "prefix": "/", "upstream": "legacy", "auth": "public" }
          ]
        }
        """#

    /// The minimal config with `listen` set to the given JSON value.
    static func listen(_ listen: String) -> String {
        """
        {
          "listen": \(listen),
          "upstreams": { "legacy": ["127.0.0.1:9000"] },
          "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ]
        }
        """
    }

    /// A config whose one TLS listener has the given `tls` members besides cert and key.
    static func serverTLS(_ members: String) -> String {
        listen(#"[ { "address": "127.0.0.1:8443", "tls": { "cert": "c.pem", "key": "k.pem"\#(members.isEmpty ? "" : ", " + members) } } ]"#)
    }

    /// A config whose only upstream, "api", is the given JSON value.
    static func upstream(_ upstream: String) -> String {
        """
        {
          "listen": "127.0.0.1:8080",
          "upstreams": { "api": \(upstream) },
          "routes": [ { "prefix": "/", "upstream": "api", "auth": "public" } ]
        }
        """
    }
}
