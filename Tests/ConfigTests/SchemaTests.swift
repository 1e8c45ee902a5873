import JSON
import Testing
@testable import Config

/// Keeps `ConfigSchema.json` (the editors' reference) in step with what the decoder accepts.
struct SchemaTests {
    private static func schema() throws -> JSONObject {
        let parsed = try JSONParser.parse(ConfigSchema.json)
        return try #require(parsed.objectValue)
    }

    private static func definitions() throws -> JSONObject {
        try #require(try schema()["$defs"]?.objectValue)
    }

    @Test func isDraft2020_12() throws {
        #expect(try Self.schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test(arguments: ConfigKeys.bySchemaDefinition.keys.sorted())
    func propertiesMatchTheDecoderKeys(definition: String) throws {
        let object = definition.isEmpty ? try Self.schema() : try #require(try Self.definitions()[definition]?.objectValue)
        let properties = try #require(object["properties"]?.objectValue, "\(definition) has no properties")
        #expect(properties.members.map(\.key) == ConfigKeys.bySchemaDefinition[definition])
        #expect(object["additionalProperties"] == false)
        #expect(object["type"] == "object")
    }

    @Test func everyObjectDefinitionHasDecoderKeys() throws {
        let withProperties = try Self.definitions().members.filter { $0.value.objectValue?["properties"] != nil }.map(\.key)
        #expect(Set(withProperties).union([""]) == Set(ConfigKeys.bySchemaDefinition.keys))
    }

    @Test func everyPropertyIsDescribedAndEveryObjectIsClosed() throws {
        var problems: [String] = []
        Self.walk(.object(try Self.schema()), at: "#", problems: &problems)
        #expect(problems == [])
    }

    @Test func everyReferenceResolves() throws {
        let definitions = try Self.definitions()
        var references: [String] = []
        Self.collectReferences(.object(try Self.schema()), into: &references)
        #expect(references.count > 50)
        for reference in references {
            #expect(reference.hasPrefix("#/$defs/"))
            #expect(definitions[String(reference.dropFirst("#/$defs/".count))] != nil, "\(reference)")
        }
    }

    private static func walk(_ value: JSONValue, at location: String, problems: inout [String]) {
        switch value {
        case .object(let object):
            if let properties = object["properties"]?.objectValue {
                if object["additionalProperties"] != false { problems.append("\(location): not closed") }
                for member in properties.members {
                    let description = member.value.objectValue?["description"]?.stringValue ?? ""
                    if description.isEmpty { problems.append("\(location).\(member.key): no description") }
                }
            }
            for member in object.members { walk(member.value, at: "\(location)/\(member.key)", problems: &problems) }
        case .array(let elements):
            for (i, element) in elements.enumerated() { walk(element, at: "\(location)/\(i)", problems: &problems) }
        default: break
        }
    }

    private static func collectReferences(_ value: JSONValue, into references: inout [String]) {
        switch value {
        case .object(let object):
            for member in object.members {
                if member.key == "$ref", let target = member.value.stringValue { references.append(target) }
                collectReferences(member.value, into: &references)
            }
        case .array(let elements):
            for element in elements { collectReferences(element, into: &references) }
        default: break
        }
    }
}

/// The issue 8 sections appear in the schema `gateway schema` prints.
struct IssuerSchemaTests {
    private static func definitions() throws -> (root: JSONObject, defs: JSONObject) {
        let root = try #require(try JSONParser.parse(ConfigSchema.json).objectValue)
        return (root, try #require(root["$defs"]?.objectValue))
    }

    @Test func topLevelStoreAndIssuer() throws {
        let (root, _) = try Self.definitions()
        let properties = try #require(root["properties"]?.objectValue)
        #expect(properties["store"]?.objectValue?["$ref"] == "#/$defs/store")
        #expect(properties["issuer"]?.objectValue?["$ref"] == "#/$defs/issuerSection")
    }

    @Test(arguments: [
        ("store", ["path"]), ("issuerSection", ["iss", "key"]), ("issuerKey", ["alg"]), ("cors", ["origins"]),
        ("listener", ["address"]), ("serverTLS", ["cert", "key"]), ("certificate", ["cert", "key"]), ("admin", ["listen"]),
        ("issuer", ["iss"]),
    ])
    func requiredKeys(definition: String, required: [String]) throws {
        let (_, defs) = try Self.definitions()
        let object = try #require(defs[definition]?.objectValue)
        #expect(object["required"]?.arrayValue?.compactMap(\.stringValue) == required)
    }

    @Test func routesAndIssuerShareTheCORSDefinition() throws {
        let (_, defs) = try Self.definitions()
        let route = try #require(defs["route"]?.objectValue?["properties"]?.objectValue)
        let issuer = try #require(defs["issuerSection"]?.objectValue?["properties"]?.objectValue)
        #expect(route["cors"]?.objectValue?["$ref"] == "#/$defs/cors")
        #expect(issuer["cors"]?.objectValue?["$ref"] == "#/$defs/cors")
    }
}

/// The issue 9 sections appear in the schema `gateway schema` prints.
struct OperationsSchemaTests {
    private static func root() throws -> JSONObject { try #require(try JSONParser.parse(ConfigSchema.json).objectValue) }

    @Test func topLevelAdminAndPidFile() throws {
        let properties = try #require(try Self.root()["properties"]?.objectValue)
        #expect(properties["admin"]?.objectValue?["$ref"] == "#/$defs/admin")
        #expect(properties["pid_file"]?.objectValue?["$ref"] == "#/$defs/filePath")
    }

    @Test func listenEntriesAreAddressesOrListeners() throws {
        let defs = try #require(try Self.root()["$defs"]?.objectValue)
        let entry = try #require(defs["listenEntry"]?.objectValue?["oneOf"]?.arrayValue)
        #expect(entry.compactMap { $0.objectValue?["$ref"]?.stringValue } == ["#/$defs/address", "#/$defs/listener"])
        let listener = try #require(defs["listener"]?.objectValue?["properties"]?.objectValue)
        #expect(listener["tls"]?.objectValue?["$ref"] == "#/$defs/serverTLS")
    }

    @Test func nestedTLSAndKeyDefinitions() throws {
        let defs = try #require(try Self.root()["$defs"]?.objectValue)
        let upstream = try #require(defs["upstream"]?.objectValue?["properties"]?.objectValue)
        #expect(upstream["tls"]?.objectValue?["$ref"] == "#/$defs/upstreamTLS")
        let issuer = try #require(defs["issuer"]?.objectValue?["properties"]?.objectValue)
        #expect(issuer["jwks"]?.objectValue?["$ref"] == "#/$defs/remoteKeys")
        let key = try #require(defs["key"]?.objectValue?["properties"]?.objectValue)
        #expect(key["jwks_uri"]?.objectValue?["$ref"] == "#/$defs/httpsURL")
    }
}
