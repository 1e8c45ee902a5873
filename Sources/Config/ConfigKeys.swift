/// The member names each config object accepts: the single source for the decoders' unknown-key
/// checks and for the schema test that keeps `ConfigSchema.json` in step.
public enum ConfigKeys {
    public static let root = [
        "$schema", "listen", "workers", "realm", "limits", "timeouts", "upstreams", "issuers", "rate_limit", "routes", "log",
    ]
    public static let limits = [
        "max_target_bytes", "max_head_bytes", "max_headers", "max_body_bytes", "max_token_bytes", "max_connections",
        "max_connections_per_worker", "max_connections_per_ip", "max_requests_per_connection", "drain_body_bytes",
    ]
    public static let timeouts = ["request_head", "body_idle", "keep_alive", "upstream_connect", "upstream_response", "drain"]
    public static let upstream = [
        "targets", "max_idle", "idle_timeout", "connect_timeout", "response_timeout", "eject_after", "eject_for",
    ]
    public static let issuer = [
        "iss", "audiences", "leeway", "require_exp", "max_age", "typ", "roles_claim", "scopes_claim", "identity_headers", "keys",
    ]
    public static let key = ["kid", "alg", "secret_env", "public_key", "private_key", "jwks_file", "algs"]
    public static let rateLimit = ["default", "trusted_proxies", "ipv6_prefix", "max_keys", "headers"]
    public static let limit = ["rate", "burst"]
    public static let route = [
        "name", "path", "prefix", "methods", "host", "upstream", "auth", "token", "forward_authorization",
        "allow_encoded_slash", "rate_limit", "max_body_bytes",
    ]
    public static let routeRateLimit = ["rate", "burst", "by_subject", "headers"]
    public static let auth = ["issuers", "roles", "scopes", "methods", "any", "all"]
    /// A per-method rule inside `auth.methods` cannot nest another `methods`.
    public static let methodAuth = ["issuers", "roles", "scopes", "any", "all"]
    public static let claimRule = ["any", "all"]
    public static let token = ["cookie", "query"]
    public static let log = ["access", "level"]

    /// Key lists by the name of the schema definition (`$defs`) describing that object; "" is the root.
    public static let bySchemaDefinition: [String: [String]] = [
        "": root, "limits": limits, "timeouts": timeouts, "upstream": upstream, "issuer": issuer, "key": key,
        "rateLimit": rateLimit, "limit": limit, "route": route, "routeRateLimit": routeRateLimit, "auth": auth,
        "methodAuth": methodAuth, "claimRule": claimRule, "token": token, "log": log,
    ]
}
