import Crypto
import OutpostCore

/// A batch's encoded bytes with the agent's P-256 ECDSA signature over them: the form in which
/// a batch is spooled on disk, sent in a `batch` frame and verified by the collector.
///
/// The signature covers SHA-256(`"outpost-batch-v1"` ‖ encoded batch). The context prefix keeps
/// a batch signature from ever being valid for anything else signed with the same key (the
/// agent's TLS handshakes, its CSRs), and versions the signing scheme.
public struct SignedBatch: Sendable, Hashable {
    /// The format byte that starts ``serializedBytes``.
    static let format: UInt8 = 1
    /// ECDSA P-256 signature in raw form: r ‖ s, 32 bytes each, big-endian.
    static let signatureSize = 64
    /// Domain separation prefix hashed before the batch bytes.
    private static let signingContext = Array("outpost-batch-v1".utf8)

    /// The batch exactly as signed.
    public let encodedBatch: [UInt8]
    /// The raw 64-byte signature over ``encodedBatch``.
    public let signature: [UInt8]

    init(encodedBatch: [UInt8], signature: [UInt8]) {
        self.encodedBatch = encodedBatch
        self.signature = signature
    }

    /// Encodes `batch` and signs the bytes with the agent's certificate key.
    ///
    /// - Throws: ``WireError`` when a field is out of its range, or the crypto library's error.
    public static func sign(_ batch: Batch, with key: P256.Signing.PrivateKey) throws -> SignedBatch {
        let encoded = try batch.encoded()
        let signature = try key.signature(for: digest(of: encoded))
        return SignedBatch(encodedBatch: encoded, signature: Array(signature.rawRepresentation))
    }

    /// Checks the signature with the agent's certificate key, then decodes the batch.
    ///
    /// The caller must still check that ``Batch/agentID`` is the identity in the session's
    /// certificate: the signature proves who signed, not whom the batch claims to be from.
    ///
    /// - Throws: ``WireError/signatureInvalid`` when the bytes were altered or signed by another
    ///   key (nothing is decoded then); another ``WireError`` when verified bytes do not decode.
    public func verify(with key: P256.Signing.PublicKey) throws(WireError) -> Batch {
        guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
            key.isValidSignature(ecdsa, for: Self.digest(of: encodedBatch))
        else { throw .signatureInvalid }
        return try Batch(decoding: encodedBatch)
    }

    /// The sequence number the batch bytes claim, read without checking the signature or
    /// decoding the rest; `nil` when the bytes are too short. It is not authenticated: use it
    /// only to name the batch in a ``Nack`` when verification or decoding fails.
    public var unverifiedSequence: BatchSequence? {
        var reader = WireReader(encodedBatch)
        guard (try? reader.readUUID(field: "batch.agentID")) != nil else { return nil }
        return try? reader.readVarUInt(field: "batch.sequence")
    }

    /// The bytes to store on disk or send: format byte, varint length, batch, signature.
    public var serializedBytes: [UInt8] {
        var writer = WireWriter(reservingCapacity: encodedBatch.count + Self.signatureSize + 11)
        encode(to: &writer)
        return writer.bytes
    }

    /// Parses bytes produced by ``serializedBytes`` (the signature is not checked here).
    ///
    /// - Throws: ``WireError`` when the bytes are not a whole signed batch.
    public init(serializedBytes: [UInt8]) throws(WireError) {
        var reader = WireReader(serializedBytes)
        try self.init(from: &reader)
        try reader.finish()
    }

    init(from reader: inout WireReader) throws(WireError) {
        let format = try reader.readByte(field: "signedBatch.format")
        guard format == Self.format else { throw .unsupportedSignedBatchFormat(format) }
        encodedBatch = try reader.readBytes(field: "signedBatch.batch")
        signature = try reader.readRaw(count: Self.signatureSize, field: "signedBatch.signature")
    }

    func encode(to writer: inout WireWriter) {
        writer.writeByte(Self.format)
        writer.writeBytes(encodedBatch)
        writer.writeRaw(signature)
    }

    private static func digest(of encodedBatch: [UInt8]) -> SHA256.Digest {
        var hasher = SHA256()
        hasher.update(data: signingContext)
        hasher.update(data: encodedBatch)
        return hasher.finalize()
    }
}
