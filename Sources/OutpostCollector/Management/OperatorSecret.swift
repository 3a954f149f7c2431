import Crypto
import Foundation

/// The random secrets handed to operators (session ids, CSRF tokens, API tokens) and the
/// digests stored in their place.
public enum OperatorSecret {
    /// 32 random bytes, base64url without padding, with `prefix` (e.g. `opt_` for API tokens).
    public static func make(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    /// SHA-256 of `secret`'s UTF-8 bytes.
    public static func digest(_ secret: some StringProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Whether `secret` hashes to `digest`, compared in constant time.
    public static func matches(_ secret: some StringProtocol, digest expected: [UInt8]) -> Bool {
        let actual = digest(secret)
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
