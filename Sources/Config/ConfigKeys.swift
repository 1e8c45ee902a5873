/// The member names each config object accepts: the single source for the decoders' unknown-key
/// checks and for the schema test that keeps `ConfigSchema.json` in step.
public enum ConfigKeys {
    public static let root = [
        "$schema", "listen", "workers", "realm", "limits", "timeouts", "upstreams", "issuers", "store", "issuer", "rate_limit",
        "routes", "log", "admin", "pid_file",
    ]
    /// An object entry of `listen`.
    public static let listener = ["address", "tls"]
    public static let serverTLS = [
        "cert", "key", "certificates", "min_version", "ciphers", "session_tickets", "ticket_key_rotation", "handshake_timeout",
    ]
    public static let certificate = ["cert", "key"]
    public static let limits = [
        "max_target_bytes", "max_head_bytes", "max_headers", "max_body_bytes", "max_token_bytes", "max_connections",
        "max_connections_per_worker", "max_connections_per_ip", "max_requests_per_connection", "drain_body_bytes",
    ]
    public static let timeouts = ["request_head", "body_idle", "keep_alive", "upstream_connect", "upstream_response", "drain"]
    public static let upstream = [
        "targets", "max_idle", "idle_timeout", "connect_timeout", "response_timeout", "eject_after", "eject_for", "tls",
    ]
    public static let upstreamTLS = ["ca", "server_name", "verify"]
    public static let issuer = [
        "iss", "audiences", "leeway", "require_exp", "max_age", "typ", "roles_claim", "scopes_claim", "identity_headers", "keys",
        "discovery", "jwks",
    ]
    public static let key = ["kid", "alg", "secret_env", "public_key", "private_key", "jwks_file", "jwks_uri", "algs", "ca"]
    public static let remoteKeys = ["refresh", "min_refresh", "max_refresh", "cooldown", "max_stale", "timeout"]
    public static let rateLimit = ["default", "trusted_proxies", "ipv6_prefix", "max_keys", "headers"]
    public static let limit = ["rate", "burst"]
    public static let route = [
        "name", "path", "prefix", "methods", "host", "upstream", "auth", "token", "forward_authorization",
        "allow_encoded_slash", "rate_limit", "max_body_bytes", "cors",
    ]
    public static let routeRateLimit = ["rate", "burst", "by_subject", "headers"]
    public static let auth = ["issuers", "roles", "scopes", "methods", "any", "all"]
    /// A per-method rule inside `auth.methods` cannot nest another `methods`.
    public static let methodAuth = ["issuers", "roles", "scopes", "any", "all"]
    public static let claimRule = ["any", "all"]
    public static let token = ["cookie", "query"]
    public static let log = ["access", "level"]
    public static let store = ["path", "poll_interval", "prune_interval"]
    /// The built-in issuer (`issuer`), not an entry of `issuers`.
    public static let issuerSection = [
        "name", "iss", "audiences", "access_ttl", "refresh_ttl", "key", "roles_claim", "claims", "endpoints", "register",
        "login_limit", "register_limit", "password_hash", "cors",
    ]
    public static let issuerKey = ["kid", "alg", "private_key", "secret_env"]
    public static let issuerEndpoints = ["login", "refresh", "logout", "register", "jwks"]
    public static let register = ["enabled", "roles"]
    public static let loginLimit = ["per_ip", "per_username"]
    public static let passwordHash = ["ln", "r", "p"]
    public static let cors = ["origins", "methods", "headers", "expose_headers", "credentials", "max_age"]
    public static let admin = ["listen", "allow_remote"]

    /// Key lists by the name of the schema definition (`$defs`) describing that object; "" is the root.
    public static let bySchemaDefinition: [String: [String]] = [
        "": root, "limits": limits, "timeouts": timeouts, "upstream": upstream, "issuer": issuer, "key": key,
        "rateLimit": rateLimit, "limit": limit, "route": route, "routeRateLimit": routeRateLimit, "auth": auth,
        "methodAuth": methodAuth, "claimRule": claimRule, "token": token, "log": log, "store": store,
        "issuerSection": issuerSection, "issuerKey": issuerKey, "issuerEndpoints": issuerEndpoints, "register": register,
        "loginLimit": loginLimit, "passwordHash": passwordHash, "cors": cors, "listener": listener, "serverTLS": serverTLS,
        "certificate": certificate, "upstreamTLS": upstreamTLS, "remoteKeys": remoteKeys, "admin": admin,
    ]
}
