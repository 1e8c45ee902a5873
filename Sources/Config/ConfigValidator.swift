/// Checks that span sections: references between them and names that must be unique.
enum ConfigValidator {
    static func validate(_ config: GatewayConfig, report: (String, String) -> Void) {
        let upstreamNames = config.upstreams.map(\.name)
        // The built-in issuer is one more profile routes may name.
        let issuerNames = config.issuers.map(\.name) + (config.issuer.map { [$0.name] } ?? [])
        if let issuer = config.issuer { checkIssuer(issuer, config, report: report) }
        if let admin = config.admin {
            // Sharing a port with a listener would hand client connections to the admin endpoints or the reverse.
            for listener in config.listeners where admin.listen.overlaps(listener.address) {
                report(
                    ConfigPath.child(admin.jsonPath, "listen"),
                    "\(admin.listen) takes the same connections as \(listener.jsonPath) (\(listener.address)); "
                        + "the admin listener needs its own port")
            }
        }

        for (i, issuer) in config.issuers.enumerated() where !issuer.iss.isEmpty {
            // Two entries for one `iss` would make the choice of keys depend on lookup order.
            if let other = config.issuers[..<i].first(where: { $0.iss == issuer.iss }) {
                report(ConfigPath.child(issuer.jsonPath, "iss"), "iss \"\(issuer.iss)\" is also used by issuer \(other.name)")
            }
        }

        var names: [String: String] = [:]
        for route in config.routes {
            if !route.upstream.isEmpty, !upstreamNames.contains(route.upstream) {
                report(
                    ConfigPath.child(route.jsonPath, "upstream"),
                    "no upstream named \"\(route.upstream)\"\(known(upstreamNames, near: route.upstream))")
            }
            if let earlier = names[route.name] {
                report(
                    route.nameIsDerived ? route.jsonPath : ConfigPath.child(route.jsonPath, "name"),
                    route.nameIsDerived
                        ? "matches the same methods, host and \(route.match.isPrefix ? "prefix" : "path") as \(earlier), so it can never be reached"
                        : "duplicate route name \"\(route.name)\" (also \(earlier))")
            } else {
                names[route.name] = route.jsonPath
            }
            checkAuth(route.auth, issuerNames: issuerNames, report: report)
            // The issuer's endpoints are matched first, so such a route could never be reached.
            if case .exact(let path) = route.match,
                let endpoint = config.issuer?.servedEndpoints.first(where: { $0.path == path })
            {
                report(
                    ConfigPath.child(route.jsonPath, "path"),
                    "\(path) is served by the issuer (issuer.endpoints.\(endpoint.key)), which is matched before routes")
            }
        }
    }

    private static func checkIssuer(_ issuer: IssuerSectionConfig, _ config: GatewayConfig, report: (String, String) -> Void) {
        if config.store == nil {
            report(issuer.jsonPath, "the issuer keeps users and refresh tokens in the store: add \"store\": {\"path\": ...}")
        }
        // Route auth names issuers by these names; one name for two profiles would make the choice ambiguous.
        if let clash = config.issuers.first(where: { $0.name == issuer.name }) {
            report(
                ConfigPath.child(issuer.jsonPath, "name"),
                "\"\(issuer.name)\" is also the name of \(clash.jsonPath); set issuer.name to another name")
        }
        // As between entries of `issuers`: one iss for two profiles would make the keys used depend on lookup order.
        if let clash = config.issuers.first(where: { $0.iss == issuer.iss }), !issuer.iss.isEmpty {
            report(ConfigPath.child(issuer.jsonPath, "iss"), "iss \"\(issuer.iss)\" is also used by issuer \(clash.name)")
        }
    }

    private static func checkAuth(_ auth: AuthConfig, issuerNames: [String], report: (String, String) -> Void) {
        let rules = [(auth.jsonPath, auth.rule)] + auth.methodRules.map { ($0.jsonPath, $0.rule) }
        for (path, rule) in rules {
            guard case .token(let requirement) = rule else { continue }
            // Fail at load rather than reject every request at run time.
            if issuerNames.isEmpty {
                report(path, "requires a token, but no issuers are configured")
                continue
            }
            // Inherited issuer lists were checked at the route level.
            if path != auth.jsonPath, case .token(let base) = auth.rule, base.issuers == requirement.issuers { continue }
            for (i, name) in requirement.issuers.enumerated() where !issuerNames.contains(name) {
                report(
                    ConfigPath.child(ConfigPath.child(path, "issuers"), index: i),
                    "no issuer named \"\(name)\"\(known(issuerNames, near: name))")
            }
        }
    }

    private static func known(_ names: [String], near name: String) -> String {
        let guess = Suggestion.closest(to: name, in: names).map { "; did you mean \"\($0)\"?" } ?? ""
        return "\(guess) (known: \(names.isEmpty ? "none" : names.joined(separator: ", ")))"
    }
}
