import Crypto
import Foundation
import _CryptoExtras

/// A Fernet key (Python `cryptography`): 32 bytes in URL-safe base64, the first half signing
/// (HMAC-SHA256), the second half encrypting (AES-128-CBC, PKCS#7).
public struct FernetKey: Sendable {
    private let bytes: [UInt8]
    var signing: SymmetricKey { SymmetricKey(data: bytes[0..<16]) }
    var encryption: SymmetricKey { SymmetricKey(data: bytes[16..<32]) }
    /// Which key this is, for the report (e.g. the file it came from); never the key.
    public let label: String

    /// Reads the key text (surrounding white space ignored); `nil` unless it is 32 bytes of base64.
    public init?(_ text: String, label: String) {
        guard let bytes = Fernet.decodeBase64URL(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            bytes.count == 32
        else { return nil }
        self.bytes = Array(bytes)
        self.label = label
    }
}

/// Fernet tokens: `0x80 ‖ timestamp (8) ‖ IV (16) ‖ AES-128-CBC ciphertext ‖ HMAC-SHA256 (32)`,
/// URL-safe base64. The timestamp is not checked (the legacy's tokens never expire).
public enum Fernet {
    /// Why a token did not open.
    public enum Failure: Error, Sendable, Equatable {
        /// Not Fernet's framing (so perhaps a plaintext the legacy stored as is).
        case notAToken
        /// A token, but not made with this key (or altered).
        case wrongKey
    }

    /// Whether `text` has the shape of a token (base64 of version 0x80 and room for IV and MAC).
    public static func looksLikeToken(_ text: String) -> Bool {
        guard let bytes = decodeBase64URL(text), bytes.count >= 1 + 8 + 16 + 16 + 32 else { return false }
        return bytes[0] == 0x80 && (bytes.count - 57) % 16 == 0
    }

    /// The plaintext of `token` under `key`.
    public static func decrypt(_ token: String, key: FernetKey) throws(Failure) -> Data {
        guard looksLikeToken(token), let bytes = decodeBase64URL(token) else { throw .notAToken }
        let signed = bytes[0..<(bytes.count - 32)]
        let mac = bytes[(bytes.count - 32)...]
        guard HMAC<SHA256>.isValidAuthenticationCode(Data(mac), authenticating: Data(signed), using: key.signing)
        else { throw .wrongKey }
        let iv = bytes[9..<25]
        let ciphertext = bytes[25..<(bytes.count - 32)]
        do {
            return try AES._CBC.decrypt(ciphertext, using: key.encryption, iv: try AES._CBC.IV(ivBytes: iv))
        } catch {
            throw .wrongKey
        }
    }

    /// A token of `plaintext` under `key` (for tests and fixtures).
    public static func encrypt(_ plaintext: Data, key: FernetKey, at date: Date = Date()) throws -> String {
        let ivBytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        let iv = try AES._CBC.IV(ivBytes: ivBytes)
        let ciphertext = try AES._CBC.encrypt(plaintext, using: key.encryption, iv: iv)
        var signed = Data([0x80])
        var seconds = UInt64(max(0, date.timeIntervalSince1970)).bigEndian
        signed.append(Data(bytes: &seconds, count: 8))
        signed.append(contentsOf: ivBytes)
        signed.append(ciphertext)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key.signing)
        signed.append(contentsOf: mac)
        return signed.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    static func decodeBase64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard base64.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }) else {
            return nil
        }
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
