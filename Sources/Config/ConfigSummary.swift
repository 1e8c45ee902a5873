/// A one-screen overview of a loaded config, printed by `gateway check`.
public func summary(_ config: GatewayConfig) -> String {
    var lines: [String] = []
    lines.append("listen    \(config.listeners.map { $0.address.text + ($0.tls == nil ? "" : " (tls)") }.joined(separator: ", "))")
    for listener in config.listeners {
        if let tls = listener.tls { lines.append("tls       \(listener.address): \(describe(tls))") }
    }
    lines.append("workers   \(config.workers.map(String.init) ?? "auto")")
    lines.append("realm     \(config.realm)")
    let ratePart = config.rateLimit.defaultLimit.map { "\($0.rate) burst \($0.burst)" } ?? "none"
    lines.append(
        "limits    body \(ByteSize.format(config.limits.maxBodyBytes)), head \(ByteSize.format(config.limits.maxHeadBytes)), "
            + "connections \(config.limits.maxConnections) (\(config.limits.maxConnectionsPerIP) per IP), rate \(ratePart)")
    let t = config.timeouts
    lines.append(
        "timeouts  head \(DurationText.format(t.requestHead)), body idle \(DurationText.format(t.bodyIdle)), "
            + "keep-alive \(DurationText.format(t.keepAlive)), upstream connect \(DurationText.format(t.upstreamConnect)), "
            + "upstream response \(DurationText.format(t.upstreamResponse))")
    lines.append("log       access \(describe(config.log.access)), level \(config.log.level.rawValue)")
    if let store = config.store {
        lines.append(
            "store     \(store.path.resolved), poll \(DurationText.format(store.pollInterval)), "
                + "prune \(DurationText.format(store.pruneInterval))")
    }
    if let admin = config.admin {
        lines.append("admin     \(admin.listen)\(admin.allowRemote && !admin.listen.isLoopback ? " (remote access allowed)" : "")")
    }
    if let pidFile = config.pidFile { lines.append("pid file  \(pidFile.resolved)") }

    lines.append("")
    lines.append("upstreams (\(config.upstreams.count))")
    for upstream in config.upstreams {
        lines.append("  \(upstream.name): \(upstream.targets.map(\.text).joined(separator: ", "))")
        if let tls = upstream.tls { lines += describe(tls, upstream: upstream.name) }
    }

    lines.append("")
    lines.append("issuers (\(config.issuers.count + (config.issuer == nil ? 0 : 1)))")
    if let issuer = config.issuer { lines += describe(issuer) }
    for issuer in config.issuers {
        let audiences = issuer.audiences.isEmpty ? "any audience" : "aud [\(issuer.audiences.joined(separator: ", "))]"
        let keys =
            issuer.discoveryURL.map { "keys by discovery (\($0))" }
            ?? "\(issuer.keys.count == 1 ? "1 key" : "\(issuer.keys.count) keys") (\(issuer.keys.map(describe).joined(separator: ", ")))"
        lines.append("  \(issuer.name): iss \(issuer.iss), \(audiences), \(keys)")
        if issuer.usesRemoteKeys { lines.append("    jwks \(describe(issuer.jwks))") }
    }

    lines.append("")
    lines.append("routes (\(config.routes.count), first match wins)")
    let matches = config.routes.map { route in
        "\(route.host ?? "")\(route.match.pattern)\(route.match.isPrefix ? "*" : "")"
    }
    let width = min(40, matches.map(\.count).max() ?? 0)
    for (route, match) in zip(config.routes, matches) {
        let methods = route.methods.isEmpty ? "*" : route.methods.joined(separator: ",")
        let padded = match.count < width ? match + String(repeating: " ", count: width - match.count) : match
        lines.append(
            "  \(padded)  \(methods) -> \(route.upstream)  auth \(describe(route.auth))  "
                + "rate \(describe(route.rateLimit, default: config.rateLimit.defaultLimit))"
                + (route.nameIsDerived ? "" : "  [\(route.name)]") + (route.cors.map { "  cors \(describe($0))" } ?? ""))
    }
    return lines.joined(separator: "\n")
}

private func describe(_ access: AccessLog) -> String {
    switch access {
    case .off: return "off"
    case .stderr: return "stderr"
    case .stdout: return "stdout"
    case .file(let path): return path.resolved
    }
}

private func describe(_ issuer: IssuerSectionConfig) -> [String] {
    let audiences = issuer.audiences.isEmpty ? "no audience" : "aud [\(issuer.audiences.joined(separator: ", "))]"
    let kid = issuer.key.kid.map { " \($0)" } ?? ""
    let key: String
    switch issuer.key.material {
    case .privateKey(let file): key = "\(issuer.key.algorithm.rawValue)\(kid) \(file.original)"
    case .secretEnv(let variable): key = "\(issuer.key.algorithm.rawValue)\(kid) from $\(variable)"
    }
    let register = issuer.register.enabled ? "open, roles [\(issuer.register.roles.joined(separator: ", "))]" : "off"
    var lines = [
        "  \(issuer.name) (built-in): iss \(issuer.iss), \(audiences), \(key), "
            + "access \(DurationText.format(issuer.accessTTL)), refresh \(DurationText.format(issuer.refreshTTL))",
        "    endpoints \(issuer.servedEndpoints.map { "\($0.key) \($0.path)" }.joined(separator: ", ")); register \(register)",
    ]
    if let cors = issuer.cors { lines.append("    cors \(describe(cors))") }
    return lines
}

private func describe(_ cors: CORSConfig) -> String {
    cors.origins.joined(separator: ", ") + (cors.credentials ? " with credentials" : "")
}

private func describe(_ key: KeyConfig) -> String {
    let kid = key.kid.map { " \($0)" } ?? ""
    switch key.material {
    case .secret(let algorithm, let variable): return "\(algorithm.rawValue)\(kid) from $\(variable)"
    case .publicKey(let algorithm, let file, _): return "\(algorithm.rawValue)\(kid) \(file.original)"
    case .jwksFile(let file, _): return "JWKS \(file.original)"
    case .jwksURI(let url, _, let ca): return "JWKS \(url)\(ca.map { " ca \($0.original)" } ?? "")"
    }
}

private func describe(_ jwks: RemoteKeysConfig) -> String {
    let format = DurationText.format
    return "refresh \(format(jwks.refresh)) (max-age within \(format(jwks.minRefresh))..\(format(jwks.maxRefresh))), "
        + "cooldown \(format(jwks.cooldown)), stale up to \(format(jwks.maxStale)), timeout \(format(jwks.timeout))"
}

/// Certificate subjects are only known once the files are read, so the summary names the files.
private func describe(_ tls: ServerTLSConfig) -> String {
    var parts = ["cert \(tls.cert.original)"]
    if !tls.certificates.isEmpty { parts.append("SNI \(tls.certificates.map(\.cert.original).joined(separator: ", "))") }
    parts.append(tls.minVersion == .v1_3 ? "TLS 1.3" : "TLS 1.2+")
    if tls.ciphers != ServerTLSConfig.defaultCiphers { parts.append("ciphers \(tls.ciphers)") }
    parts.append(
        tls.sessionTickets
            ? "session tickets (key rotates every \(DurationText.format(tls.ticketKeyRotation)))" : "no session tickets")
    parts.append("handshake \(DurationText.format(tls.handshakeTimeout))")
    return parts.joined(separator: ", ")
}

private func describe(_ tls: UpstreamTLSConfig, upstream: String) -> [String] {
    guard tls.verify else {
        return [
            "    tls without certificate verification\(tls.serverName.map { ", server name \($0)" } ?? "")",
            "  WARNING: upstream \(upstream) does not verify its targets' certificates (tls.verify is false): "
                + "anyone on the network path can impersonate them",
        ]
    }
    return [
        "    tls verify against \(tls.ca.map(\.original) ?? "the system store"), "
            + "server name \(tls.serverName ?? "the target's host")"
    ]
}

private func describe(_ auth: AuthConfig) -> String {
    let base = describe(auth.rule)
    guard !auth.methodRules.isEmpty else { return base }
    let overrides = auth.methodRules.map { "\($0.methods.joined(separator: ",")): \(describe($0.rule))" }
    return "\(base); \(overrides.joined(separator: "; "))"
}

private func describe(_ rule: AuthRule) -> String {
    switch rule {
    case .public: return "public"
    case .token(let requirement):
        var parts = ["token"]
        if !requirement.issuers.isEmpty { parts.append("from \(requirement.issuers.joined(separator: "|"))") }
        if let roles = requirement.roles { parts.append("roles \(roles.match.rawValue)(\(roles.values.joined(separator: ",")))") }
        if let scopes = requirement.scopes {
            parts.append("scopes \(scopes.match.rawValue)(\(scopes.values.joined(separator: ",")))")
        }
        return parts.joined(separator: " ")
    }
}

private func describe(_ limit: RouteRateLimit, default global: LimitSpec?) -> String {
    switch limit {
    case .inherit: return global.map { "\($0.rate) burst \($0.burst) (default)" } ?? "none"
    case .disabled: return "off"
    case .custom(let custom):
        let subject = custom.bySubject.map { ", \($0.rate) burst \($0.burst) per subject" } ?? ""
        return "\(custom.perClient.rate) burst \(custom.perClient.burst)\(subject)"
    }
}
