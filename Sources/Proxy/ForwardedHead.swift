import EventLoop
import HTTP1
import JWT
import Policy

/// Writes the request head the upstream receives. The request line carries the normalised path (the one
/// the route was chosen by) and the original query, so the gateway and the legacy API can never disagree
/// about which route a request belongs to.
enum ForwardedHead {
    static func write(
        head: RequestHead, bytes: UnsafeRawBufferPointer, path: [UInt8], queryStart: Int?, dropQuery: Range<Int>?,
        route: Route, token: VerifiedToken?, peerText: [UInt8], requestID: [UInt8], identityNames: [[UInt8]],
        issuers: IssuerSet, targetHost: @autoclosure () -> String, secure: Bool = false, scratch: inout [UInt8],
        into out: ByteBuffer
    ) {
        out.append(UnsafeRawBufferPointer(rebasing: bytes[head.methodRange]))
        out.append(byte: 0x20)
        out.append(path)
        if let qs = queryStart {
            appendQuery(UnsafeRawBufferPointer(rebasing: bytes[(head.target.lowerBound + qs)..<head.target.upperBound]),
                        base: head.target.lowerBound + qs, drop: dropQuery, into: out)
        }
        out.append(" HTTP/1.1\r\n")
        if head.hostIndex < 0 {
            // An HTTP/1.0 request may lack Host, but the upstream request is HTTP/1.1, which requires one
            // (RFC 9112 §3.2): name the target.
            out.append("Host: ")
            out.append(targetHost())
            out.append("\r\n")
        }

        var xffCount = 0
        for h in head.headers {
            switch h.kind {
            case .hopByHop, .connection, .transferEncoding, .expect, .xForwardedProto, .xForwardedHost, .xRequestId,
                .xAuthPrefix:
                // Hop-by-hop headers end here (RFC 9110 §7.6.1); the gateway sets the X-Forwarded-* and
                // X-Request-Id itself; X-Auth-* is the identity namespace only the gateway may write.
                continue
            case .authorization:
                if !route.forwardAuthorization { continue }
            case .xForwardedFor:
                xffCount += 1
                continue
            case .other:
                // A client must never pose as someone else to the legacy API: any configured identity header
                // it sends is dropped on every route, public ones included. Names with "_" are dropped too
                // (as nginx does): CGI/WSGI servers such as Flask's map "X_Auth_Subject" and "X-Auth-Subject"
                // to the same variable, so an underscore name could smuggle an identity past the check.
                if isIdentityName(h.name, bytes, identityNames) || bytes[h.name].contains(UInt8(ascii: "_")) { continue }
                // Method and URL overrides would let the API act on another method or path than the one the
                // route's policy was checked for.
                if isOverrideHeader(h.name, bytes) { continue }
            default:
                break
            }
            out.appendField(h, from: bytes)
        }
        // X-Forwarded-For: the client's list (if any) with the peer appended.
        out.append("X-Forwarded-For: ")
        if xffCount > 0 {
            for h in head.headers where h.kind == .xForwardedFor {
                out.append(UnsafeRawBufferPointer(rebasing: bytes[h.value]))
                out.append(", ")
            }
        }
        out.append(peerText)
        // The scheme the client used with the gateway: an API behind it builds redirects and secure cookies from it.
        out.append(secure ? "\r\nX-Forwarded-Proto: https" : "\r\nX-Forwarded-Proto: http")
        if head.hostIndex >= 0 {
            out.append("\r\nX-Forwarded-Host: ")
            out.append(UnsafeRawBufferPointer(rebasing: bytes[head.headers[head.hostIndex].value]))
        }
        out.append("\r\nX-Request-Id: ")
        out.append(requestID)
        if case .chunked = head.framing { out.append("\r\nTransfer-Encoding: chunked") }
        if let token {
            IdentityHeaders.forEach(token: token, profile: issuers.profiles[token.issuerIndex], scratch: &scratch) { name, value in
                out.append("\r\n")
                out.append(name)
                out.append(": ")
                out.append(value)
            }
        }
        out.append("\r\n\r\n")
    }

    private static func appendQuery(_ q: UnsafeRawBufferPointer, base: Int, drop: Range<Int>?, into out: ByteBuffer) {
        guard let drop else {
            out.append(byte: UInt8(ascii: "?"))
            out.append(q)
            return
        }
        // Remove "name=token" and one adjoining "&"; keep the rest byte for byte.
        let d0 = drop.lowerBound - base
        let d1 = drop.upperBound - base
        var before = UnsafeRawBufferPointer(rebasing: q[0..<d0])
        var after = UnsafeRawBufferPointer(rebasing: q[d1...])
        if !after.isEmpty { after = UnsafeRawBufferPointer(rebasing: after[1...]) }  // the "&" after it
        else if !before.isEmpty { before = UnsafeRawBufferPointer(rebasing: before[0..<(before.count - 1)]) }
        if before.isEmpty && after.isEmpty { return }
        out.append(byte: UInt8(ascii: "?"))
        out.append(before)
        out.append(after)
    }

    private static let overrideHeaders: [[UInt8]] = [
        "x-http-method-override", "x-http-method", "x-method-override", "x-original-url", "x-rewrite-url",
    ].map { Array($0.utf8) }

    private static func isOverrideHeader(_ name: Range<Int>, _ bytes: UnsafeRawBufferPointer) -> Bool {
        // Cheap pre-check: all of them start with "x-" and are at least 13 bytes long.
        guard name.count >= 13, bytes[name.lowerBound] | 0x20 == UInt8(ascii: "x") else { return false }
        return isIdentityName(name, bytes, overrideHeaders)
    }

    private static func isIdentityName(_ name: Range<Int>, _ bytes: UnsafeRawBufferPointer, _ names: [[UInt8]]) -> Bool {
        for n in names where n.count == name.count {
            var same = true
            for (j, i) in name.enumerated() where asciiLower(bytes[i]) != n[j] {
                same = false
                break
            }
            if same { return true }
        }
        return false
    }
}
