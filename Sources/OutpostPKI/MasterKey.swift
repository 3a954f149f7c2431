import Crypto
import Foundation

/// The collector's 256-bit master key: credentials in PostgreSQL are sealed under it
/// (``seal(_:context:)``), and nothing decrypts without it.
///
/// On disk and in `OUTPOST_MASTER_KEY` it is the base64 of its 32 bytes. It is identified by a
/// fingerprint (8 bytes of SHA-256 over a domain label and the key), which every ciphertext
/// carries so a wrong key is reported as such rather than as tampering. Its description is the
/// fingerprint only.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// Key length in bytes.
    public static let byteCount = 32
    /// Fingerprint length in bytes.
    public static let fingerprintByteCount = 8
    /// Largest key file read (base64 of 32 bytes plus whitespace fits many times over).
    static let maximumFileBytes = 1024

    /// Raw key bytes; a `SymmetricKey` is made from them per operation (it is not `Sendable`).
    let bytes: [UInt8]
    /// Identifies the key without revealing it.
    public let fingerprint: [UInt8]

    /// Wraps 32 raw key bytes.
    public init(bytes: [UInt8]) throws(MasterKeyError) {
        guard bytes.count == Self.byteCount else { throw .wrongLength(bytes.count) }
        self.bytes = bytes
        var hasher = SHA256()
        hasher.update(data: Array("outpost-master-key-fingerprint-v1".utf8))
        hasher.update(data: bytes)
        fingerprint = Array(hasher.finalize().prefix(Self.fingerprintByteCount))
    }

    /// Parses the base64 text of 32 bytes (surrounding whitespace ignored).
    public init(base64 text: String) throws(MasterKeyError) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw .notBase64
        }
        try self.init(bytes: Array(data))
    }

    /// A new random key.
    public static func generate() -> MasterKey {
        // 32 bytes by construction: cannot throw.
        try! MasterKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Reads a key file. Refuses a file that other users may read or write (group access is
    /// allowed, for a service group) with ``PKIFileError/Kind/tooPermissive(mode:)``.
    public static func load(path: String) throws(MasterKeyError) -> MasterKey {
        let content: [UInt8]
        do {
            content = try SecureFile.load(path, limit: maximumFileBytes, forbiddenMode: 0o007)
        } catch {
            throw .file(error)
        }
        do {
            return try MasterKey(base64: String(decoding: content, as: UTF8.self))
        } catch {
            throw .invalidFile(path: path, reason: error)
        }
    }

    /// Writes a new random key to `path` with mode 0600, refusing to replace an existing file.
    public static func create(at path: String) throws(MasterKeyError) -> MasterKey {
        let key = generate()
        do {
            try SecureFile.store(
                Array((Data(key.bytes).base64EncodedString() + "\n").utf8), at: path, mode: 0o600, replace: false)
        } catch {
            throw .file(error)
        }
        return key
    }

    /// The fingerprint as lower-case hex.
    public var fingerprintHex: String { fingerprint.map { String(format: "%02x", $0) }.joined() }

    public var description: String { "MasterKey(\(fingerprintHex))" }

    /// A key for another purpose derived from this one (HKDF-SHA256), e.g. to make version hashes
    /// of payloads holding secrets that cannot be checked against guesses without the master key.
    public func derivedKey(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: bytes), info: Array(purpose.utf8), outputByteCount: 32)
    }
}

/// A master key could not be read, parsed or written.
public indirect enum MasterKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The key does not have 32 bytes.
    case wrongLength(Int)
    /// The text is not base64.
    case notBase64
    /// The file could not be read or written.
    case file(PKIFileError)
    /// The file's content is not a key.
    case invalidFile(path: String, reason: MasterKeyError)

    public var description: String {
        switch self {
        case .wrongLength(let count): "a master key has 32 bytes, this one has \(count)"
        case .notBase64: "a master key is the base64 text of 32 bytes"
        case .file(let error): error.description
        case .invalidFile(let path, let reason): "\(path): \(reason)"
        }
    }
}
