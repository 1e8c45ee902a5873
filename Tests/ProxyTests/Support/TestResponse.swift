import Foundation

/// One HTTP response as the test client read it.
struct TestResponse {
    let status: Int
    let reason: String
    /// In order, as received, duplicates kept.
    let headers: [(String, String)]
    let body: [UInt8]

    /// First value of `name`, case-insensitively.
    func header(_ name: String) -> String? { KitWire.first(headers, name) }
    func headers(named name: String) -> [String] { KitWire.all(headers, name) }
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object, or nil when it is not one.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    /// The gateway's machine-readable rejection code: the "error" member of a JSON body.
    var errorCode: String? { json?["error"] as? String }
}
