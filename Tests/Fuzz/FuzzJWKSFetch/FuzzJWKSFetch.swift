import Glibc
import JSON
import JWT
import KeyFetch

// Properties of the key fetcher's handling of a provider's answer (KeyFetchParsing wraps the functions the fetcher
// uses): no input crashes or hangs it, an accepted body is never over 1 MiB, a freshness lifetime is never negative, and a
// discovery document only ever yields a trustworthy jwks_uri. An accepted body is then read as a JWK Set and as a
// discovery document, as the fetcher would. The first input byte picks how the rest is delivered:
//   low 2 bits: 0 whole, in one read; 1 in reads of 1 + (second byte % 64) bytes; 2 the rest is a head followed by a
//   filler body near 1 MiB (its length set by the last byte), in 16 KiB reads; 3 the same filler in valid chunked framing.

/// Release builds drop a precondition's message, so the violated property is written to stderr before trapping.
func violated(_ property: String) -> Never {
    var line = "property violated: \(property)\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    preconditionFailure(property)
}

enum Fixture {
    static let issuer = "https://idp.fuzz"
    static let maxBody = KeyFetchParsing.maxBodyBytes
}

/// An oracle for `FetchURL.isTrustworthy` written independently of it: https, or plain http to a loopback name or to an
/// IPv4 literal in 127.0.0.0/8 spelled in plain decimal (anything else is not this machine, or goes to the resolver).
func isTrustworthy(_ url: FetchURL) -> Bool {
    if url.scheme == .https || url.host == "localhost" || url.host == "::1" { return true }
    let octets = url.host.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets[0] == "127"
        && octets.allSatisfy { octet in
            let digits = octet.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            return (1...3).contains(octet.utf8.count) && digits && (Int(octet) ?? 256) <= 255
        }
}

func pieces(_ bytes: ArraySlice<UInt8>, of size: Int) -> [[UInt8]] {
    stride(from: bytes.startIndex, to: bytes.endIndex, by: size).map { Array(bytes[$0..<min($0 + size, bytes.endIndex)]) }
}

/// A body length in the 512 bytes either side of the 1 MiB limit.
func fillerLength(_ rest: ArraySlice<UInt8>) -> Int {
    Fixture.maxBody - 256 + Int(rest.last ?? 0) * 2
}

func chunkedFiller(_ length: Int) -> [UInt8] {
    var out: [UInt8] = []
    var left = length
    while left > 0 {
        let size = min(left, 60_000)
        out += Array("\(String(size, radix: 16))\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "k"), count: size) + [13, 10]
        left -= size
    }
    return out + Array("0\r\n\r\n".utf8)
}

func delivery(_ input: [UInt8]) -> [[UInt8]] {
    guard let selector = input.first else { return [] }
    let rest = input.dropFirst()
    switch selector & 3 {
    case 1: return pieces(rest, of: 1 + Int(rest.first ?? 0) % 64)
    case 2: return pieces(rest + [UInt8](repeating: UInt8(ascii: "k"), count: fillerLength(rest)), of: 16 << 10)
    case 3: return pieces(rest + chunkedFiller(fillerLength(rest)), of: 16 << 10)
    default: return [Array(rest)]
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    if let seconds = KeyFetchParsing.maxAge(cacheControl: Array(input.dropFirst())), seconds < 0 {
        violated("Cache-Control gave a negative max-age \(seconds)")
    }
    guard case .success(let response) = KeyFetchParsing.response(delivery(input)) else { return 0 }
    guard response.body.count <= Fixture.maxBody else { violated("accepted a body of \(response.body.count) bytes") }
    if let seconds = response.maxAge, seconds < 0 { violated("the response gave a negative max-age \(seconds)") }
    guard response.body.count < 64 << 10 else { return 0 }
    _ = try? JWKS.parse(response.body, allowedAlgorithms: [.RS256, .ES256, .EdDSA])
    if case .success(let url) = KeyFetchParsing.jwksURL(fromMetadata: response.body, issuer: Fixture.issuer),
        !url.isTrustworthy || !isTrustworthy(url)
    {
        violated("discovery accepted an untrustworthy jwks_uri \(url)")
    }
    return 0
}
