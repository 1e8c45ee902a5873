/// One decoded request, copied out of the read buffer: the example favours plain values over zero-copy views.
struct LegacyRequest {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8] = []

    var path: Substring { target.prefix { $0 != "?" } }

    var query: Substring? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: mark)...]
    }

    /// First value of a header, by case-insensitive name.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
