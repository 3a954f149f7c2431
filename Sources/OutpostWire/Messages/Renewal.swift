/// The agent asks for a new certificate before its current one expires.
public struct RenewRequest: Sendable, Equatable {
    /// A PKCS #10 certificate signing request, DER, signed with the key to certify.
    public var csrDER: [UInt8]

    /// Creates a renewal request.
    public init(csrDER: [UInt8]) {
        self.csrDER = csrDER
    }

    init(from reader: inout WireReader) throws(WireError) {
        csrDER = try reader.readBytes(field: "renewRequest.csr")
    }

    func encode(to writer: inout WireWriter) {
        writer.writeBytes(csrDER)
    }
}

/// The renewed certificate, answering a ``RenewRequest``.
public struct RenewResponse: Sendable, Equatable {
    /// DER certificates, leaf first, then intermediates (1 to 8 of them).
    public var certificateChainDER: [[UInt8]]

    /// Creates a renewal response.
    public init(certificateChainDER: [[UInt8]]) {
        self.certificateChainDER = certificateChainDER
    }

    init(from reader: inout WireReader) throws(WireError) {
        let count = try reader.readCount(field: "renewResponse.chain", minimumElementSize: 1)
        guard (1...WireLimits.certificateChainLength).contains(count) else {
            throw .invalidField(
                field: "renewResponse.chain",
                reason: "\(count) certificates, expected 1...\(WireLimits.certificateChainLength)")
        }
        var chain: [[UInt8]] = []
        chain.reserveCapacity(count)
        for _ in 0..<count {
            chain.append(try reader.readBytes(field: "renewResponse.certificate"))
        }
        certificateChainDER = chain
    }

    func encode(to writer: inout WireWriter) throws(WireError) {
        guard (1...WireLimits.certificateChainLength).contains(certificateChainDER.count) else {
            throw .invalidField(
                field: "renewResponse.chain",
                reason: "\(certificateChainDER.count) certificates, expected 1...\(WireLimits.certificateChainLength)")
        }
        writer.writeVarUInt(UInt64(certificateChainDER.count))
        for certificate in certificateChainDER {
            writer.writeBytes(certificate)
        }
    }
}
