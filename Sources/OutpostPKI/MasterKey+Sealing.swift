import Crypto
import Foundation

extension MasterKey {
    /// Version byte of the sealed format.
    public static let sealedFormatVersion: UInt8 = 1
    private static let nonceByteCount = 12
    private static let tagByteCount = 16
    private static var headerByteCount: Int { 1 + fingerprintByteCount }

    /// Encrypts `plaintext` with AES-256-GCM, bound to `context` (the row and column it is stored
    /// in, as additional authenticated data: moved elsewhere it no longer opens).
    ///
    /// - Returns: base64 of `version (1) | key fingerprint (8) | nonce (12) | ciphertext | tag (16)`;
    ///   the version and fingerprint are authenticated too.
    public func seal(_ plaintext: String, context: [UInt8]) throws -> String {
        let header = [Self.sealedFormatVersion] + fingerprint
        let box = try AES.GCM.seal(
            Array(plaintext.utf8), using: SymmetricKey(data: bytes), authenticating: header + context)
        return Data(header + Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)).base64EncodedString()
    }

    /// Decrypts what ``seal(_:context:)`` produced for the same `context`.
    ///
    /// - Throws: ``SealedSecretError``: malformed text, an unknown version, another key's
    ///   ciphertext (with both fingerprints), or a failed authentication (tampered, or moved to
    ///   another row or column).
    public func open(_ sealed: String, context: [UInt8]) throws(SealedSecretError) -> String {
        let parts = try Self.parse(sealed)
        guard parts.fingerprint == fingerprint else {
            throw .wrongKey(sealedUnder: Self.hex(parts.fingerprint), masterKey: fingerprintHex)
        }
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: parts.nonce), ciphertext: parts.ciphertext, tag: parts.tag)
            plaintext = try AES.GCM.open(box, using: SymmetricKey(data: bytes), authenticating: parts.header + context)
        } catch {
            throw .authenticationFailed
        }
        guard let text = String(data: plaintext, encoding: .utf8) else { throw .authenticationFailed }
        return text
    }

    /// The fingerprint of the key `sealed` was sealed under, as lower-case hex.
    public static func fingerprintHex(ofSealed sealed: String) throws(SealedSecretError) -> String {
        hex(try parse(sealed).fingerprint)
    }

    private struct Parts {
        let header: [UInt8]
        let fingerprint: [UInt8]
        let nonce: [UInt8]
        let ciphertext: [UInt8]
        let tag: [UInt8]
    }

    private static func parse(_ sealed: String) throws(SealedSecretError) -> Parts {
        guard let data = Data(base64Encoded: sealed) else { throw .malformed("not base64") }
        let bytes = Array(data)
        guard bytes.count >= headerByteCount + nonceByteCount + tagByteCount else {
            throw .malformed("too short (\(bytes.count) bytes)")
        }
        guard bytes[0] == sealedFormatVersion else { throw .unsupportedVersion(bytes[0]) }
        let nonceEnd = headerByteCount + nonceByteCount
        return Parts(
            header: Array(bytes[0..<headerByteCount]),
            fingerprint: Array(bytes[1..<headerByteCount]),
            nonce: Array(bytes[headerByteCount..<nonceEnd]),
            ciphertext: Array(bytes[nonceEnd..<(bytes.count - tagByteCount)]),
            tag: Array(bytes[(bytes.count - tagByteCount)...]))
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

/// A sealed secret could not be opened. Never carries the plaintext or the key.
public enum SealedSecretError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not the sealed format at all.
    case malformed(String)
    /// A format version this build does not know.
    case unsupportedVersion(UInt8)
    /// Sealed under another master key.
    case wrongKey(sealedUnder: String, masterKey: String)
    /// The ciphertext, its header or its context was altered (or it was moved to another row).
    case authenticationFailed

    public var description: String {
        switch self {
        case .malformed(let reason): "not a sealed credential: \(reason)"
        case .unsupportedVersion(let version): "sealed credential format version \(version) is not supported"
        case .wrongKey(let sealed, let master):
            "sealed under master key \(sealed), but the configured master key is \(master) (wrong key file, or rotate-key not run)"
        case .authenticationFailed:
            "sealed credential failed authentication: tampered with, or copied from another row or column"
        }
    }
}
