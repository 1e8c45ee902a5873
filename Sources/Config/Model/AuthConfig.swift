import Foundation

/// A route's access policy. Every route states one explicitly: there is no implicit default.
///
/// Forms: `"public"`, `"authenticated"`, `{"any": [roles]}`, `{"all": [roles]}`, or
/// `{"issuers": [...], "roles": {...}, "scopes": {...}, "methods": {"GET": <auth>, "POST,PUT": <auth>}}`.
public struct AuthConfig: Sendable, Equatable, Decodable {
    public var jsonPath: String
    /// Applies to methods not named in `methodRules`.
    public var rule: AuthRule
    public var methodRules: [MethodAuthRule]

    init(jsonPath: String, rule: AuthRule, methodRules: [MethodAuthRule]) {
        self.jsonPath = jsonPath
        self.rule = rule
        self.methodRules = methodRules
    }

    public init(from decoder: any Decoder) throws {
        jsonPath = ConfigPath.render(decoder.codingPath)
        let reader: ObjectReader?
        (rule, reader) = try AuthRule.decode(decoder, known: ConfigKeys.auth)
        methodRules = []
        guard let r = reader else { return }
        methodRules = r.decode("methods", as: NamedEntries<MethodAuthRule>.self)?.values ?? []
        if case .object(let object)? = r.rawValue("methods"), object.isEmpty {
            r.report("methods", "must name at least one method; omit methods to use one rule for all")
        }
        // A per-method rule that names no issuers keeps the route's: overriding roles for POST must not
        // quietly widen which issuers' tokens are accepted.
        if case .token(let base) = rule, !base.issuers.isEmpty {
            for i in methodRules.indices {
                if case .token(var requirement) = methodRules[i].rule, requirement.issuers.isEmpty {
                    requirement.issuers = base.issuers
                    methodRules[i].rule = .token(requirement)
                }
            }
        }
        var seen: [String] = []
        for entry in methodRules {
            for method in entry.methods {
                if seen.contains(method) { r.context.report(entry.jsonPath, "\(method) has more than one rule") }
                seen.append(method)
            }
        }
    }

    /// The rule for a request method.
    public func rule(for method: String) -> AuthRule {
        methodRules.first { $0.methods.contains(method) }?.rule ?? rule
    }

    /// Every rule of the route, the default first.
    public var allRules: [AuthRule] { [rule] + methodRules.map(\.rule) }
}

public enum AuthRule: Sendable, Equatable {
    /// No token needed; one presented is ignored.
    case `public`
    /// A valid token whose claims satisfy the requirement.
    case token(TokenRequirement)

    public var requiresToken: Bool {
        if case .token = self { return true }
        return false
    }

    /// Shared by the route-level object and the per-method objects, which differ only in their keys.
    /// Returns the object's reader, if it was one, for the caller's extra keys.
    static func decode(_ decoder: any Decoder, known: [String]) throws -> (AuthRule, ObjectReader?) {
        switch decoder.jsonValue {
        case .string("public")?: return (.public, nil)
        case .string("authenticated")?: return (.token(TokenRequirement()), nil)
        case .string(let other)?:
            let guess = Suggestion.closest(to: other, in: ["public", "authenticated"]).map { "; did you mean \"\($0)\"?" } ?? ""
            throw decoder.invalid("unknown auth \"\(other)\"\(guess) (use \"public\", \"authenticated\" or an object)")
        case .object(let object)?:
            let r = try ObjectReader(decoder, known: known)
            if object.isEmpty { r.report("empty auth object; write \"authenticated\" to accept any valid token") }
            var requirement = TokenRequirement()
            if let issuers = r.list("issuers", of: NonEmptyString.self) {
                requirement.issuers = issuers.map(\.value)
                if case .array(let elements)? = r.rawValue("issuers"), elements.isEmpty {
                    r.report("issuers", "must not be empty; omit issuers to accept every configured issuer")
                }
            }
            requirement.roles = r.decode("roles", as: ClaimRequirement.self)
            requirement.scopes = r.decode("scopes", as: ClaimRequirement.self)
            let shorthand = ["any", "all"].filter(r.has)
            if shorthand.count == 2 {
                r.report("use either any or all, not both")
            } else if let match = shorthand.first.flatMap(ClaimMatch.init(rawValue:)) {
                if r.has("roles") { r.report("use either roles or the \(match.rawValue) shorthand, not both") }
                if let values = ClaimRequirement.values(r, match.rawValue) {
                    requirement.roles = ClaimRequirement(match: match, values: values)
                }
            }
            return (.token(requirement), r)
        default:
            throw decoder.mismatch("\"public\", \"authenticated\" or an object")
        }
    }
}

/// What a token must carry beyond a valid signature and times.
public struct TokenRequirement: Sendable, Equatable {
    /// Issuer names (keys of `issuers`); empty accepts every configured issuer.
    public var issuers: [String] = []
    public var roles: ClaimRequirement?
    public var scopes: ClaimRequirement?

    public init() {}
}

public enum ClaimMatch: String, Sendable, Equatable {
    case any, all
}

/// `{"any": [...]}` or `{"all": [...]}` over the values of a roles or scopes claim.
public struct ClaimRequirement: Sendable, Equatable, Decodable {
    public var match: ClaimMatch
    public var values: [String]

    init(match: ClaimMatch, values: [String]) {
        self.match = match
        self.values = values
    }

    public init(from decoder: any Decoder) throws {
        let r = try ObjectReader(decoder, known: ConfigKeys.claimRule)
        match = .any
        values = []
        switch (r.has("any"), r.has("all")) {
        case (true, true): r.report("use either any or all, not both")
        case (false, false): r.report("one of any or all is required")
        case (let any, _):
            match = any ? .any : .all
            values = ClaimRequirement.values(r, match.rawValue) ?? []
        }
    }

    static func values(_ r: ObjectReader, _ key: String) -> [String]? {
        guard let values = r.list(key, of: NonEmptyString.self) else { return nil }
        // An empty "any" list can never be satisfied and an empty "all" always is; neither is what anyone means.
        if case .array(let elements)? = r.rawValue(key), elements.isEmpty { r.report(key, "must list at least one value") }
        return values.map(\.value)
    }
}

/// A rule for some methods: the member name is a comma-separated method list ("POST,PUT,DELETE").
public struct MethodAuthRule: Sendable, Equatable, Decodable {
    public var methods: [String]
    public var rule: AuthRule
    public var jsonPath: String

    public init(from decoder: any Decoder) throws {
        let context = try DecodingContext.from(decoder)
        jsonPath = ConfigPath.render(decoder.codingPath)
        let names = decoder.codingPath.last?.stringValue ?? ""
        methods = names.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.trimmingCharacters(in: .whitespaces))
        }
        for method in methods {
            if let problem = MethodName.check(method) { context.report(jsonPath, problem) }
        }
        rule = try AuthRule.decode(decoder, known: ConfigKeys.methodAuth).0
    }
}
