import Crypto

/// A symmetric key derived (HKDF-SHA256) from a private key and a purpose, for encrypting what a
/// process keeps on its own disk, e.g. the agent's cached configuration with its SNMP
/// credentials: the file is useless without the key next to it in the state directory, and a
/// re-enrolled agent (new key) cannot read its predecessor's secrets.
public struct LocalSealingKey: Sendable, CustomStringConvertible {
    /// Raw key bytes (`SymmetricKey` is not `Sendable`).
    private let bytes: [UInt8]

    /// Derives the key for `purpose` from `privateKey`.
    public init(privateKey: P256Key, purpose: String) throws {
        let secret = SymmetricKey(data: try privateKey.signingKey().rawRepresentation)
        bytes = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret, info: Array(purpose.utf8), outputByteCount: 32)
            .withUnsafeBytes { Array($0) }
    }

    /// AES-256-GCM of `plaintext`, authenticating `context` too: nonce, ciphertext and tag.
    public func seal(_ plaintext: [UInt8], context: [UInt8]) throws -> [UInt8] {
        // `combined` is non-nil for the default 12-byte nonce.
        Array(try AES.GCM.seal(plaintext, using: SymmetricKey(data: bytes), authenticating: context).combined!)
    }

    /// Opens what ``seal(_:context:)`` produced; throws when the data, the context or the key differ.
    public func open(_ sealed: [UInt8], context: [UInt8]) throws -> [UInt8] {
        Array(
            try AES.GCM.open(
                AES.GCM.SealedBox(combined: sealed), using: SymmetricKey(data: bytes), authenticating: context))
    }

    public var description: String { "LocalSealingKey(<secret>)" }
}
