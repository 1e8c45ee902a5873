import JSON

/// OpenID Connect Discovery 1.0: where an issuer publishes its keys.
enum Discovery {
    /// The metadata URL of `issuer` (§4: the issuer with any trailing "/" removed, plus the well-known path).
    static func metadataURL(for issuer: String) -> FetchURL? {
        var base = Substring(issuer)
        while base.hasSuffix("/") { base = base.dropLast() }
        return FetchURL(parsing: base + "/.well-known/openid-configuration")
    }

    /// The `jwks_uri` of a metadata document, after the checks that keep a tampered or misdirected
    /// document from choosing our trust anchor: `issuer` must equal ours exactly (§4.3), and the key
    /// URL must be https, or http to this machine.
    static func jwksURL(fromMetadata body: [UInt8], issuer: String) -> Result<FetchURL, KeyFetchError> {
        let document: JSONValue
        do throws(JSONError) {
            document = try JSONParser.parse(body)
        } catch {
            return .failure(KeyFetchError("the discovery document is not valid JSON: \(error.description)"))
        }
        guard let object = document.objectValue else {
            return .failure(KeyFetchError("the discovery document is not a JSON object"))
        }
        guard let documentIssuer = object["issuer"]?.stringValue else {
            return .failure(KeyFetchError("the discovery document has no issuer"))
        }
        guard documentIssuer.utf8.elementsEqual(issuer.utf8) else {
            return .failure(KeyFetchError("the discovery document names another issuer"))
        }
        guard let uri = object["jwks_uri"]?.stringValue else {
            return .failure(KeyFetchError("the discovery document has no jwks_uri"))
        }
        guard let url = FetchURL(parsing: uri) else {
            return .failure(KeyFetchError("the discovery document's jwks_uri is not an http(s) URL"))
        }
        guard url.isTrustworthy else {
            return .failure(KeyFetchError("the discovery document's jwks_uri is plain http to another host"))
        }
        return .success(url)
    }
}
