import Crypto
import X509

/// An ECDSA P-256 private key: the only key type of the Outpost PKI (CA, agents, collector).
///
/// Sendable (swift-crypto 3.12's `P256.Signing.PrivateKey` is not), and its description never
/// shows key material. Store it with ``save(to:replace:)`` (mode 0600, atomic, fsynced).
public struct P256Key: Sendable, CustomStringConvertible {
    /// The key in swift-certificates' form, for signing certificates and CSRs.
    public let certificateKey: Certificate.PrivateKey

    /// Wraps a swift-crypto key.
    public init(_ key: P256.Signing.PrivateKey) {
        self.certificateKey = Certificate.PrivateKey(key)
    }

    /// A new key from the system CSPRNG.
    public static func generate() -> P256Key {
        P256Key(P256.Signing.PrivateKey())
    }

    /// Parses a PEM key (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`); only P-256 is accepted.
    public init(pemEncoded: String) throws {
        let key = try Certificate.PrivateKey(pemEncoded: pemEncoded)
        guard P256.Signing.PublicKey(key.publicKey) != nil else { throw IssuanceError.unsupportedKeyType }
        self.certificateKey = key
    }

    /// Loads a PEM key file (at most ``PKIDefaults/maximumPEMFileSize`` bytes). Refuses a file
    /// that its group or other users may access (``PKIFileError/Kind/tooPermissive(mode:)``):
    /// every Outpost key file (`ca.key`, `server.key`, the agent's key) is its owner's alone.
    public static func load(from path: String) throws -> P256Key {
        let bytes = try SecureFile.load(path, limit: PKIDefaults.maximumPEMFileSize, forbiddenMode: 0o077)
        do {
            return try P256Key(pemEncoded: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw PKIFileError(path: path, kind: .invalidContent("not a PEM ECDSA P-256 private key"))
        }
    }

    /// Writes the key as PKCS#8 PEM with mode 0600, atomically and durably. Unless `replace`
    /// is set, fails with ``PKIFileError/Kind/alreadyExists`` if `path` exists.
    public func save(to path: String, replace: Bool = false) throws {
        try SecureFile.store(Array(try pemEncoded.utf8), at: path, mode: 0o600, replace: replace)
    }

    /// The public key, as it appears in certificates.
    public var publicKey: Certificate.PublicKey { certificateKey.publicKey }

    /// The key as PKCS#8 PEM, e.g. for `NIOSSLPrivateKey(bytes:format:)`. Secret: never log it.
    public var pemEncoded: String {
        get throws { try certificateKey.serializeAsPEM().pemString + "\n" }
    }

    /// A swift-crypto signing key, e.g. for batch signatures (the agent signs batches with the
    /// key its certificate certifies).
    public func signingKey() throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(pemRepresentation: try pemEncoded)
    }

    public var description: String { "P256Key(<private>)" }
}
