import Testing
@testable import Config

/// Each row: a config fragment and every problem the loader must report for it, in order, as
/// "path: message". Exact messages are asserted because they are the product's interface.
struct ProblemTests {
    private func check(_ json: String, _ expected: [String]) {
        let problems = Fixtures.problems(json).map(\.description)
        #expect(problems == expected, "\(json)")
    }

    /// Top-level members added to the minimal config.
    @Test(arguments: [
        (
            #""listne": "127.0.0.1:1""#,
            [
                #"listne: unknown key; did you mean "listen"? (known: listen, workers, realm, limits, timeouts, upstreams, issuers, store, issuer, rate_limit, routes, log, admin, pid_file)"#,
            ]
        ),
        (
            #""limits": { "max_body": 5 }"#,
            [
                #"limits.max_body: unknown key (known: max_target_bytes, max_head_bytes, max_headers, max_body_bytes, max_token_bytes, max_connections, max_connections_per_worker, max_connections_per_ip, max_requests_per_connection, drain_body_bytes)"#,
            ]
        ),
        (
            #""timeouts": { "keep_alive": "60" }"#,
            [
                #"timeouts.keep_alive: invalid duration "60" (use a number with ms, s, m, h or d, largest unit first, e.g. "250ms", "1h30m")"#,
            ]
        ),
        (
            #""timeouts": { "keep_alive": 60 }"#,
            [
                #"timeouts.keep_alive: expected a duration such as "30s" or "1h30m", got a number (60)"#,
            ]
        ),
        (
            #""timeouts": { "drain": "30s5m" }"#,
            [
                #"timeouts.drain: invalid duration "30s5m" (use a number with ms, s, m, h or d, largest unit first, e.g. "250ms", "1h30m")"#,
            ]
        ),
        (
            #""timeouts": { "request_head": "0s" }"#,
            [
                #"timeouts.request_head: must be between 1ms and 1d, got 0s"#,
            ]
        ),
        (
            #""limits": { "max_body_bytes": "10 MB" }"#,
            [
                #"limits.max_body_bytes: invalid size "10 MB" (use a number with B, kB, KiB, MB, MiB, GB or GiB)"#,
            ]
        ),
        (
            #""limits": { "max_body_bytes": "10mb" }"#,
            [
                #"limits.max_body_bytes: invalid size "10mb" (use a number with B, kB, KiB, MB, MiB, GB or GiB)"#,
            ]
        ),
        (
            #""limits": { "max_head_bytes": -1 }"#,
            [
                #"limits.max_head_bytes: invalid size -1 (expected a whole number of bytes)"#,
            ]
        ),
        (
            #""limits": { "max_body_bytes": 1.5 }"#,
            [
                #"limits.max_body_bytes: invalid size 1.5 (expected a whole number of bytes)"#,
            ]
        ),
        (
            #""limits": { "max_headers": "100" }"#,
            [
                #"limits.max_headers: expected an integer, got a string ("100")"#,
            ]
        ),
        (
            #""limits": { "max_headers": 0 }"#,
            [
                #"limits.max_headers: must be between 1 and 10000, got 0"#,
            ]
        ),
        (
            #""limits": { "max_target_bytes": "64KiB", "max_head_bytes": "16KiB" }"#,
            [
                #"limits.max_target_bytes: must not exceed max_head_bytes (16KiB)"#,
            ]
        ),
        (
            #""limits": { "max_connections": 10, "max_connections_per_ip": 20, "max_connections_per_worker": 11 }"#,
            [
                #"limits.max_connections_per_ip: must not exceed max_connections (10)"#,
                #"limits.max_connections_per_worker: must not exceed max_connections (10)"#,
            ]
        ),
        (
            #""workers": 0"#,
            [
                #"workers: must be "auto" or a whole number from 1 to 256, got 0"#,
            ]
        ),
        (
            #""workers": "four""#,
            [
                #"workers: expected "auto" or a whole number from 1 to 256, got a string ("four")"#,
            ]
        ),
        (
            #""realm": "a\"b""#,
            [
                #"realm: must be non-empty without quotes, backslashes or control characters (it is sent in WWW-Authenticate)"#,
            ]
        ),
        (
            #""log": { "level": "verbose" }"#,
            [
                #"log.level: unknown log level "verbose" (known: trace, debug, info, notice, warning, error, critical)"#,
            ]
        ),
        (
            #""log": { "access": 5 }"#,
            [
                #"log.access: expected "off", "stderr", "stdout" or a file path, got a number (5)"#,
            ]
        ),
        (
            #""log": { "acess": "off" }"#,
            [
                #"log.acess: unknown key; did you mean "access"? (known: access, level)"#,
            ]
        ),
        (
            #""rate_limit": { "default": { "rate": "100/sec" } }"#,
            [
                #"rate_limit.default.rate: invalid rate "100/sec" (use a positive whole count per s, m, min, h or d, e.g. "100/s")"#,
            ]
        ),
        (
            #""rate_limit": { "default": true }"#,
            [
                #"rate_limit.default: expected false or an object with rate and burst, got a boolean (true)"#,
            ]
        ),
        (
            #""rate_limit": { "default": { "burst": 5 } }"#,
            [
                #"rate_limit.default.rate: missing required key"#,
            ]
        ),
        (
            #""rate_limit": { "default": { "rate": "1/s", "burst": 0 } }"#,
            [
                #"rate_limit.default.burst: must be between 1 and 10000000, got 0"#,
            ]
        ),
        (
            #""rate_limit": { "trusted_proxies": ["10.0.0.1/8", "10.0.0.0/33", "proxy.local", "fd00::/8"] }"#,
            [
                #"rate_limit.trusted_proxies[0]: address range "10.0.0.1/8" has bits set after the /8 prefix"#,
                #"rate_limit.trusted_proxies[1]: invalid prefix length in "10.0.0.0/33" (0 to 32)"#,
                #"rate_limit.trusted_proxies[2]: invalid address range "proxy.local" (expected an IP address, optionally with /prefix)"#,
            ]
        ),
        (
            #""rate_limit": { "ipv6_prefix": 0, "max_keys": "many", "headers": "yes" }"#,
            [
                #"rate_limit.ipv6_prefix: must be between 1 and 128, got 0"#,
                #"rate_limit.max_keys: expected an integer, got a string ("many")"#,
                #"rate_limit.headers: expected true or false, got a string ("yes")"#,
            ]
        ),
        (
            #""issuers": { "main": "x" }"#,
            [
                #"issuers.main: expected an object, got a string ("x")"#,
            ]
        ),
        (
            #""issuers": { "bad name": { "iss": "x", "keys": [ { "alg": "HS256", "secret_env": "K" } ] } }"#,
            [
                #"issuers["bad name"]: names use only letters, digits, "_", "-" and ".""#,
            ]
        ),
    ])
    func topLevel(json: String, expected: [String]) {
        check(Fixtures.top(json), expected)
    }

    /// Whole documents.
    @Test(arguments: [
        (
            #"{ "listen": "localhost", "upstreams": { "legacy": ["127.0.0.1:9000"] }, "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ] }"#,
            [
                #"listen: invalid address "localhost": expected host:port"#,
            ]
        ),
        (
            #"{ "listen": ["127.0.0.1:70000", "example.com:80", "::1:8080", "127.0.0.1:8080", "127.0.0.1:8080"], "upstreams": { "legacy": ["127.0.0.1:9000"] }, "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "public" } ] }"#,
            [
                #"listen[0]: invalid address "127.0.0.1:70000": port must be a number from 0 to 65535"#,
                #"listen[1]: invalid address "example.com:80": host must be an IP address or "localhost", got "example.com""#,
                #"listen[2]: invalid address "::1:8080": IPv6 addresses need brackets, e.g. "[::1]:8080""#,
                #"listen[4]: 127.0.0.1:8080 is listed twice"#,
            ]
        ),
        (
            #"{ "listen": [], "upstreams": {}, "routes": [] }"#,
            [
                #"listen: at least one address is required"#,
                #"upstreams: at least one upstream is required"#,
                #"routes: at least one route is required"#,
            ]
        ),
        (
            #"{}"#,
            [
                #"listen: missing required key"#,
                #"upstreams: missing required key"#,
                #"routes: missing required key"#,
            ]
        ),
        (
            #"[]"#,
            [
                #"$: expected an object, got a list"#,
            ]
        ),
        (
            #"{ "listen": "127.0.0.1:8080", "upstreams": { "a": [], "b": { "targets": [] }, "c": { "target": ["127.0.0.1:1"] }, "d": ["127.0.0.1:1", "127.0.0.1:1"], "e": "127.0.0.1:1", "f": { "targets": "127.0.0.1:1", "max_idle": -1, "eject_for": "soon" } }, "routes": [ { "prefix": "/", "upstream": "a", "auth": "public" } ] }"#,
            [
                #"upstreams.a: at least one target is required"#,
                #"upstreams.b.targets: at least one target is required"#,
                #"upstreams.c.target: unknown key; did you mean "targets"? (known: targets, max_idle, idle_timeout, connect_timeout, response_timeout, eject_after, eject_for, tls)"#,
                #"upstreams.c.targets: missing required key"#,
                #"upstreams.d[1]: 127.0.0.1:1 is listed twice"#,
                #"upstreams.e: expected a list of targets or an object, got a string ("127.0.0.1:1")"#,
                #"upstreams.f.max_idle: must be between 0 and 100000, got -1"#,
                #"upstreams.f.eject_for: invalid duration "soon" (use a number with ms, s, m, h or d, largest unit first, e.g. "250ms", "1h30m")"#,
            ]
        ),
        (
            #"{ "listen": "127.0.0.1:8080", "upstreams": { "legacy": ["127.0.0.1:9000"] }, "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "authenticated" } ] }"#,
            [
                #"routes[0].auth: requires a token, but no issuers are configured"#,
            ]
        ),
        (
            #"{ "listen": "127.0.0.1:8080", "upstreams": { "legacy": ["127.0.0.1:9000"] }, "routes": [ { "prefix": "/", "upstream": "legacy", "auth": { "methods": { "POST": { "any": ["admin"] } } } } ] }"#,
            [
                #"routes[0].auth: requires a token, but no issuers are configured"#,
                #"routes[0].auth.methods.POST: requires a token, but no issuers are configured"#,
            ]
        ),
        (
            #"{ "listen": "127.0.0.1:8080", "upstreams": { "legacy": ["127.0.0.1:9000"] }, "issuers": { "a": { "iss": "x", "keys": [ { "alg": "HS256", "secret_env": "K" } ] }, "b": { "iss": "x", "keys": [ { "alg": "HS256", "secret_env": "K" } ] } }, "routes": [ { "prefix": "/", "upstream": "legacy", "auth": "authenticated" } ] }"#,
            [
                #"issuers.b.iss: iss "x" is also used by issuer a"#,
            ]
        ),
    ])
    func documents(json: String, expected: [String]) {
        check(json, expected)
    }

    /// Routes in a config with one upstream ("legacy") and one issuer ("main").
    @Test(arguments: [
        (
            #"{ "prefix": "/", "methdos": ["GET"], "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].methdos: unknown key; did you mean "methods"? (known: name, path, prefix, methods, host, upstream, auth, token, forward_authorization, allow_encoded_slash, rate_limit, max_body_bytes, cors)"#,
            ]
        ),
        (
            #"{ "path": "/a", "prefix": "/a/", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0]: exactly one of path or prefix is allowed, found both"#,
            ]
        ),
        (
            #"{ "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0]: exactly one of path or prefix is required"#,
            ]
        ),
        (
            #"{ "path": "api", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: must start with "/""#,
            ]
        ),
        (
            #"{ "path": "/a//b", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: must not contain "//""#,
            ]
        ),
        (
            #"{ "path": "/a/../b", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: must not contain "." or ".." segments"#,
            ]
        ),
        (
            #"{ "prefix": "/a/.", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].prefix: must not contain "." or ".." segments"#,
            ]
        ),
        (
            #"{ "path": "/a/%2Fb", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: contains an encoded slash (%2F); set allow_encoded_slash to match it"#,
            ]
        ),
        (
            #"{ "path": "/a/%2fb", "allow_encoded_slash": true, "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: percent-encodings must use uppercase hex digits"#,
            ]
        ),
        (
            #"{ "path": "/a/%41", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: percent-encodes "A"; write it literally"#,
            ]
        ),
        (
            #"{ "path": "/a/%2E%2E/admin", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: percent-encodes "."; write it literally"#,
            ]
        ),
        (
            #"{ "path": "/a/%4", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: has an incomplete percent-encoding"#,
            ]
        ),
        (
            #"{ "path": "/a?x=1", "upstream": "legacy", "auth": "public" }"#,
            [
                ##"routes[0].path: contains a character that must be percent-encoded or is not allowed in a path ("?" and "#" start a query or fragment)"##,
            ]
        ),
        (
            #"{ "path": "/caf\u00e9", "upstream": "legacy", "auth": "public" }"#,
            [
                ##"routes[0].path: contains a character that must be percent-encoded or is not allowed in a path ("?" and "#" start a query or fragment)"##,
            ]
        ),
        (
            #"{ "path": 5, "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].path: expected a string, got a number (5)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "methods": ["get", "GE T", "POST", "POST", 7], "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].methods[0]: method names are case-sensitive: use "GET""#,
                #"routes[0].methods[1]: "GE T" is not a valid method name"#,
                #"routes[0].methods[3]: POST is listed twice"#,
                #"routes[0].methods[4]: expected a method name such as "GET", got a number (7)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "methods": [], "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].methods: must not be empty; omit methods to allow every method"#,
            ]
        ),
        (
            #"{ "prefix": "/", "methods": "GET", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[0].methods: expected a list, got a string ("GET")"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy2", "auth": "public" }"#,
            [
                #"routes[0].upstream: no upstream named "legacy2"; did you mean "legacy"? (known: legacy)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "billing", "auth": "public" }"#,
            [
                #"routes[0].upstream: no upstream named "billing" (known: legacy)"#,
            ]
        ),
        (
            #"{ "prefix": "/" }"#,
            [
                #"routes[0].upstream: missing required key"#,
                #"routes[0].auth: missing required key"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "private" }"#,
            [
                #"routes[0].auth: unknown auth "private" (use "public", "authenticated" or an object)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": 5 }"#,
            [
                #"routes[0].auth: expected "public", "authenticated" or an object, got a number (5)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": true }"#,
            [
                #"routes[0].auth: expected "public", "authenticated" or an object, got a boolean (true)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": {} }"#,
            [
                #"routes[0].auth: empty auth object; write "authenticated" to accept any valid token"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "issuers": ["nope", "main", "mian"] } }"#,
            [
                #"routes[0].auth.issuers[0]: no issuer named "nope" (known: main)"#,
                #"routes[0].auth.issuers[2]: no issuer named "mian"; did you mean "main"? (known: main)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "issuers": [] } }"#,
            [
                #"routes[0].auth.issuers: must not be empty; omit issuers to accept every configured issuer"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "roles": { "any": [] } } }"#,
            [
                #"routes[0].auth.roles.any: must list at least one value"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "roles": { "some": ["a"] } } }"#,
            [
                #"routes[0].auth.roles: one of any or all is required"#,
                #"routes[0].auth.roles.some: unknown key (known: any, all)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "roles": { "any": ["a"], "all": ["b"] } } }"#,
            [
                #"routes[0].auth.roles: use either any or all, not both"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "any": ["a"], "all": ["b"] } }"#,
            [
                #"routes[0].auth: use either any or all, not both"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "roles": { "any": ["a"] }, "any": ["b"] } }"#,
            [
                #"routes[0].auth: use either roles or the any shorthand, not both"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "scopes": { "all": ["", 3] } } }"#,
            [
                #"routes[0].auth.scopes.all[0]: must not be empty"#,
                #"routes[0].auth.scopes.all[1]: expected a string, got a number (3)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "rols": { "any": ["a"] } } }"#,
            [
                #"routes[0].auth.rols: unknown key; did you mean "roles"? (known: issuers, roles, scopes, methods, any, all)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "methods": { "get": "public" } } }"#,
            [
                #"routes[0].auth.methods.get: method names are case-sensitive: use "GET""#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "methods": { "GET": { "methods": { "GET": "public" } } } } }"#,
            [
                #"routes[0].auth.methods.GET.methods: unknown key (known: issuers, roles, scopes, any, all)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "methods": {} } }"#,
            [
                #"routes[0].auth.methods: must name at least one method; omit methods to use one rule for all"#,
            ]
        ),
        (
            #"{ "prefix": "/", "methods": ["GET"], "upstream": "legacy", "auth": { "methods": { "POST": "public" } } }"#,
            [
                #"routes[0].auth.methods.POST: POST is not one of this route's methods (GET)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "methods": { "GET": "public", "GET,POST": "authenticated" } } }"#,
            [
                #"routes[0].auth.methods["GET,POST"]: GET has more than one rule"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": { "methods": { "PUT": { "issuers": ["other"] } } } }"#,
            [
                #"routes[0].auth.methods.PUT.issuers[0]: no issuer named "other" (known: main)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "token": { "cookie": "a b", "query": "a&b", "header": "X" } }"#,
            [
                #"routes[0].token.cookie: "a b" is not a valid cookie name"#,
                #"routes[0].token.query: "a&b" is not a plain query parameter name"#,
                #"routes[0].token.header: unknown key (known: cookie, query)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "rate_limit": true }"#,
            [
                #"routes[0].rate_limit: expected false or an object with rate and burst, got a boolean (true)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "rate_limit": { "burst": 3 } }"#,
            [
                #"routes[0].rate_limit.rate: missing required key"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "rate_limit": { "rate": "10/s", "by_subject": { "rate": "x" } } }"#,
            [
                #"routes[0].rate_limit.by_subject.rate: invalid rate "x" (use a positive whole count per s, m, min, h or d, e.g. "100/s")"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "max_body_bytes": "1TB" }"#,
            [
                #"routes[0].max_body_bytes: invalid size "1TB" (use a number with B, kB, KiB, MB, MiB, GB or GiB)"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "host": "Bad_Host" }"#,
            [
                #"routes[0].host: "Bad_Host" is not a valid host name"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "name": "" }"#,
            [
                #"routes[0].name: must not be empty"#,
            ]
        ),
        (
            #"{ "prefix": "/", "upstream": "legacy", "auth": "public", "forward_authorization": "yes" }"#,
            [
                #"routes[0].forward_authorization: expected true or false, got a string ("yes")"#,
            ]
        ),
        (
            #"{ "name": "a", "path": "/a", "upstream": "legacy", "auth": "public" }, { "name": "a", "path": "/b", "upstream": "legacy", "auth": "public" }"#,
            [
                #"routes[1].name: duplicate route name "a" (also routes[0])"#,
            ]
        ),
        (
            #"{ "prefix": "/api/", "methods": ["GET"], "upstream": "legacy", "auth": "public" }, { "prefix": "/api/", "methods": ["GET"], "upstream": "legacy", "auth": "authenticated" }"#,
            [
                #"routes[1]: matches the same methods, host and prefix as routes[0], so it can never be reached"#,
            ]
        ),
        (
            #""x""#,
            [
                #"routes[0]: expected an object, got a string ("x")"#,
            ]
        ),
    ])
    func routes(json: String, expected: [String]) {
        check(Fixtures.route(json), expected)
    }

    /// The object of issuer "main".
    @Test(arguments: [
        (
            #"{ "keys": [ { "alg": "HS256", "secret_env": "K" } ] }"#,
            [
                #"issuers.main.iss: missing required key"#,
            ]
        ),
        (
            #"{ "iss": "", "keys": [] }"#,
            [
                #"issuers.main.iss: must not be empty"#,
                #"issuers.main.keys: at least one key is required"#,
            ]
        ),
        (
            #"{ "iss": "x" }"#,
            [
                #"issuers.main.keys: missing required key; give keys, or "discovery": true to fetch them from the issuer"#,
            ]
        ),
        (
            #"{ "iss": "x", "keys": [ { "alg": "HS256", "secret_env": "K" } ], "audience": ["a"] }"#,
            [
                #"issuers.main.audience: unknown key; did you mean "audiences"? (known: iss, audiences, leeway, require_exp, max_age, typ, roles_claim, scopes_claim, identity_headers, keys, discovery, jwks)"#,
            ]
        ),
        (
            #"{ "iss": "x", "audiences": [""], "leeway": "2h", "max_age": "0s", "typ": "", "require_exp": 1, "keys": [ { "alg": "HS256", "secret_env": "K" } ] }"#,
            [
                #"issuers.main.audiences[0]: must not be empty"#,
                #"issuers.main.leeway: must be between 0s and 1h, got 2h"#,
                #"issuers.main.max_age: must be between 1s and 3650d, got 0s"#,
                #"issuers.main.typ: must not be empty"#,
                #"issuers.main.require_exp: expected true or false, got a number (1)"#,
            ]
        ),
        (
            #"{ "iss": "x", "roles_claim": "a..b", "scopes_claim": ".", "keys": [ { "alg": "HS256", "secret_env": "K" } ] }"#,
            [
                #"issuers.main.roles_claim: invalid claim path "a..b" (names separated by single dots)"#,
                #"issuers.main.scopes_claim: invalid claim path "." (names separated by single dots)"#,
            ]
        ),
        (
            #"{ "iss": "x", "identity_headers": { "Host": "sub", "X Bad": "sub", "X-User": "sub", "x-user": "email", "X-Ok": 5 }, "keys": [ { "alg": "HS256", "secret_env": "K" } ] }"#,
            [
                #"issuers.main.identity_headers.Host: the gateway does not let claims set Host"#,
                #"issuers.main.identity_headers["X Bad"]: "X Bad" is not a valid header name"#,
                #"issuers.main.identity_headers.x-user: header x-user is listed twice (names are case-insensitive)"#,
                #"issuers.main.identity_headers.X-Ok: expected a claim name such as "roles" or "realm_access.roles", got a number (5)"#,
            ]
        ),
    ])
    func issuers(json: String, expected: [String]) {
        check(Fixtures.issuer(json), expected)
    }

    /// The key list of issuer "main".
    @Test(arguments: [
        (
            #"{ "alg": "HS256" }"#,
            [
                #"issuers.main.keys[0]: exactly one of secret_env, public_key, jwks_file or jwks_uri is required"#,
            ]
        ),
        (
            #"{ "alg": "HS256", "secret_env": "K", "public_key": "k.pem" }"#,
            [
                #"issuers.main.keys[0]: exactly one of secret_env, public_key, jwks_file or jwks_uri is allowed, found secret_env and public_key"#,
            ]
        ),
        (
            #"{ "alg": "RS256", "secret_env": "K" }"#,
            [
                #"issuers.main.keys[0].alg: RS256 needs public_key or jwks_file; secret_env holds an HMAC secret (HS256, HS384, HS512)"#,
            ]
        ),
        (
            #"{ "alg": "HS256", "public_key": "k.pem" }"#,
            [
                #"issuers.main.keys[0].alg: HS256 needs secret_env; public_key holds an asymmetric public key"#,
            ]
        ),
        (
            #"{ "secret_env": "K" }"#,
            [
                #"issuers.main.keys[0].alg: missing required key"#,
            ]
        ),
        (
            #"{ "alg": "none", "secret_env": "K" }"#,
            [
                #"issuers.main.keys[0].alg: "none" is never accepted: tokens must be signed"#,
            ]
        ),
        (
            #"{ "alg": "hs256", "secret_env": "K" }"#,
            [
                #"issuers.main.keys[0].alg: unknown algorithm "hs256"; did you mean "HS256"? (known: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)"#,
            ]
        ),
        (
            #"{ "alg": "HS256", "secret_env": "my-secret" }"#,
            [
                #"issuers.main.keys[0].secret_env: "my-secret" is not an environment variable name (secrets are referenced by name, never inline)"#,
            ]
        ),
        (
            #"{ "alg": "HS256", "secret_env": 5 }"#,
            [
                #"issuers.main.keys[0].secret_env: expected a string, got a number (5)"#,
            ]
        ),
        (
            #"{ "jwks_file": "j.json", "alg": "RS256", "kid": "a" }"#,
            [
                #"issuers.main.keys[0].alg: not used with jwks_file; list allowed algorithms in algs"#,
                #"issuers.main.keys[0].kid: not used with jwks_file; the JWKS names its keys"#,
            ]
        ),
        (
            #"{ "alg": "HS256", "secret_env": "K", "private_key": "p.pem", "algs": ["RS256"] }"#,
            [
                #"issuers.main.keys[0].private_key: only allowed with public_key"#,
                #"issuers.main.keys[0].algs: only allowed with jwks_file or jwks_uri"#,
            ]
        ),
        (
            #"{ "kid": "a", "alg": "HS256", "secret_env": "K" }, { "kid": "a", "alg": "HS384", "secret_env": "K2" }"#,
            [
                #"issuers.main.keys[1].kid: kid "a" is used by another key of this issuer"#,
            ]
        ),
        (
            #"{ "alg": "ES256", "public_key": "" }"#,
            [
                #"issuers.main.keys[0].public_key: file path must not be empty"#,
            ]
        ),
        (
            #"{ "jwks_file": "j.json", "algs": ["RS256", "XS1"] }"#,
            [
                #"issuers.main.keys[0].algs[1]: unknown algorithm "XS1" (known: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA)"#,
            ]
        ),
        (
            #"{ "alg": "HS256", "secret": "abc" }"#,
            [
                #"issuers.main.keys[0]: exactly one of secret_env, public_key, jwks_file or jwks_uri is required"#,
                #"issuers.main.keys[0].secret: unknown key (known: kid, alg, secret_env, public_key, private_key, jwks_file, jwks_uri, algs, ca)"#,
            ]
        ),
    ])
    func keys(json: String, expected: [String]) {
        check(Fixtures.keys(json), expected)
    }

    @Test func syntaxErrorsReportLineAndColumn() {
        #expect(Fixtures.problems(#"{"listen": }"#).map(\.description) == [#"$: line 1, column 12: unexpected character"#])
    }

    @Test func duplicateKeysAreRejectedWithTheirPosition() {
        let json = "{\"listen\": \"127.0.0.1:1\",\n \"listen\": \"127.0.0.1:2\"}"
        #expect(Fixtures.problems(json).map(\.description) == [#"$: line 2, column 2: duplicate member name "listen""#])
    }
}
