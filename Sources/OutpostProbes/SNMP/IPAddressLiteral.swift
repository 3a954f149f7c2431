#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Recognises numeric IPv4/IPv6 addresses, so that no name lookup ever blocks an I/O thread.
enum IPAddressLiteral {
    static func isValid(_ text: String) -> Bool {
        guard text.utf8.count <= 45 else { return false }
        var buffer = (UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { raw in
            inet_pton(AF_INET, text, raw.baseAddress) == 1 || inet_pton(AF_INET6, text, raw.baseAddress) == 1
        }
    }
}
