import Foundation
import OutpostCore

/// One agent batch: the results of a stretch of probing, numbered in the agent's stream.
///
/// A batch travels and rests only as a ``SignedBatch``: ``SignedBatch/sign(_:with:)`` encodes
/// and signs it, ``SignedBatch/verify(with:)`` checks the signature and only then decodes.
/// Results are stored column by column (see `docs/protocol.md`, "Batch"), which keeps a
/// 1,000-round ping batch around 60 KiB.
public struct Batch: Sendable, Equatable {
    /// The agent that produced the batch; the collector checks it against the session's certificate.
    public var agentID: AgentID
    /// The batch's place in the agent's stream (strictly increasing, starts at 1).
    public var sequence: BatchSequence
    /// When the agent closed the batch (UTC).
    public var createdAt: Date
    /// Ping rounds, one `ping_results` row each.
    public var pingResults: [PingRoundResult]
    /// SNMP item samples, one `item_history` row each.
    public var itemSamples: [ItemSample]
    /// Results of other kinds (traceroute, MTR, discovery), encoded by their owner module.
    public var genericResults: [GenericResult]

    /// Creates a batch.
    public init(
        agentID: AgentID, sequence: BatchSequence, createdAt: Date,
        pingResults: [PingRoundResult] = [], itemSamples: [ItemSample] = [], genericResults: [GenericResult] = []
    ) {
        self.agentID = agentID
        self.sequence = sequence
        self.createdAt = createdAt
        self.pingResults = pingResults
        self.itemSamples = itemSamples
        self.genericResults = genericResults
    }

    /// Results the batch carries, all sections together.
    public var resultCount: Int { pingResults.count + itemSamples.count + genericResults.count }

    /// The batch's canonical bytes: what is signed, stored and sent.
    func encoded() throws(WireError) -> [UInt8] {
        var writer = WireWriter(reservingCapacity: 64 + pingResults.count * 72 + itemSamples.count * 56)
        writer.writeUUID(agentID.uuid)
        writer.writeVarUInt(sequence)
        let createdAtMicroseconds = try WireTime.microseconds(of: createdAt, field: "batch.createdAt")
        writer.writeVarInt(createdAtMicroseconds)
        try PingSection.encode(pingResults, after: createdAtMicroseconds, to: &writer)
        try ItemSampleSection.encode(itemSamples, after: createdAtMicroseconds, to: &writer)
        GenericSection.encode(genericResults, to: &writer)
        try ItemInstanceSection.encode(itemSamples, to: &writer)
        return writer.bytes
    }

    /// Decodes bytes written by ``encoded()``. Only ``SignedBatch/verify(with:)`` calls this,
    /// after the signature checked out.
    init(decoding bytes: [UInt8]) throws(WireError) {
        var reader = WireReader(bytes)
        agentID = AgentID(try reader.readUUID(field: "batch.agentID"))
        sequence = try reader.readVarUInt(field: "batch.sequence")
        let createdAtMicroseconds = try reader.readVarInt(field: "batch.createdAt")
        createdAt = try WireTime.date(microseconds: createdAtMicroseconds, field: "batch.createdAt")
        pingResults = try PingSection.decode(from: &reader, after: createdAtMicroseconds)
        itemSamples = try ItemSampleSection.decode(from: &reader, after: createdAtMicroseconds)
        genericResults = try GenericSection.decode(from: &reader)
        try ItemInstanceSection.decode(into: &itemSamples, from: &reader)
        try reader.finish()
    }
}

/// A result of a kind the batch format does not lay out itself (traceroute, MTR, discovery
/// findings): the kind and its owner module's encoding.
public struct GenericResult: Sendable, Equatable {
    /// What produced the result.
    public var kind: JobKind
    /// The result, encoded by the kind's owner module.
    public var payload: [UInt8]

    /// Creates a generic result.
    public init(kind: JobKind, payload: [UInt8]) {
        self.kind = kind
        self.payload = payload
    }
}

/// The generic section: count, then kind and length-prefixed payload per result.
enum GenericSection {
    static func encode(_ results: [GenericResult], to writer: inout WireWriter) {
        writer.writeVarUInt(UInt64(results.count))
        for result in results {
            writer.writeVarUInt(UInt64(result.kind.rawValue))
            writer.writeBytes(result.payload)
        }
    }

    static func decode(from reader: inout WireReader) throws(WireError) -> [GenericResult] {
        let count = try reader.readCount(field: "batch.generic", minimumElementSize: 2)
        var results: [GenericResult] = []
        results.reserveCapacity(count)
        for _ in 0..<count {
            let kind = JobKind(rawValue: try reader.readVarUInt(UInt16.self, field: "batch.generic.kind"))
            results.append(GenericResult(kind: kind, payload: try reader.readBytes(field: "batch.generic.payload")))
        }
        return results
    }
}
