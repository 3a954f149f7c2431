import Foundation
import OutpostCore

/// A value an agent sent that is outside the domain the collector stores it in.
public struct DomainViolation: Error, CustomStringConvertible {
    /// The wire field, as `docs/protocol.md` names it (`batch.ping.packetsReceived`).
    public let field: String
    /// What is wrong with the value.
    public let reason: String

    public var description: String { "\(field): \(reason)" }
}

/// Checks every value of a verified batch against the domain of the column it will be stored
/// in, before any of it is used: sequences within `bigint`, `0 ≤ received ≤ sent ≤`
/// ``maximumPacketsPerRound``, finite non-negative round-trip times below
/// ``maximumRoundTripMilliseconds``, an IP address that parses and fits, timestamps no older
/// than the agent's spool keeps results (plus slack) and no further ahead than the accepted clock
/// skew, finite rates. A batch failing any check is refused whole with the first violation
/// (`docs/protocol.md`, "Batch validation"); nothing of it reaches the database.
public struct BatchValidator: Sendable {
    /// Echo requests per round at most (agents send 1 to 100, `ping.packets`).
    public static let maximumPacketsPerRound = 1_000
    /// Longest round-trip time accepted, in milliseconds (agents wait seconds, not minutes).
    public static let maximumRoundTripMilliseconds = 600_000.0
    /// Longest address text (`ping_results.device_ip` is VARCHAR(50); IPv6 text is at most 45).
    public static let maximumAddressLength = 45
    /// How far back a result may be: the agent spool's maximum age (7 days) plus a day of slack.
    public static let maximumAge: TimeInterval = 8 * 86_400

    /// Results older than this are refused.
    public let oldest: Date
    /// Results newer than this are refused (the agent's clock is ahead).
    public let latest: Date

    /// A validator for batches received at `now`, accepting `futureSkew` seconds of clock skew.
    public init(now: Date = Date(), futureSkew: TimeInterval) {
        oldest = now.addingTimeInterval(-Self.maximumAge)
        latest = now.addingTimeInterval(futureSkew)
    }

    /// Checks every value of `batch`; throws the first violation.
    public func validate(_ batch: Batch) throws(DomainViolation) {
        try Self.validate(sequence: batch.sequence, field: "batch.sequence")
        for row in batch.pingResults { try validate(row) }
        for sample in batch.itemSamples { try validate(sample) }
    }

    /// A sequence the ledger can store: 1 through ``BatchSequence/largestAccepted``.
    public static func validate(sequence: BatchSequence, field: String, allowZero: Bool = false) throws(DomainViolation)
    {
        guard sequence <= .largestAccepted else {
            throw DomainViolation(field: field, reason: "\(sequence) is above \(BatchSequence.largestAccepted)")
        }
        guard allowZero || sequence > 0 else { throw DomainViolation(field: field, reason: "sequences start at 1") }
    }

    private func validate(_ row: PingRoundResult) throws(DomainViolation) {
        guard row.deviceIP.utf8.count <= Self.maximumAddressLength, IPAddressText.isValid(row.deviceIP) else {
            throw DomainViolation(field: "batch.ping.deviceIP", reason: "not an IPv4 or IPv6 address")
        }
        try validate(row.timestamp, field: "batch.ping.timestamp")
        guard (0...Self.maximumPacketsPerRound).contains(row.packetsSent) else {
            throw DomainViolation(
                field: "batch.ping.packetsSent",
                reason: "\(row.packetsSent) is outside 0...\(Self.maximumPacketsPerRound)")
        }
        guard (0...row.packetsSent).contains(row.packetsReceived) else {
            throw DomainViolation(
                field: "batch.ping.packetsReceived",
                reason: "\(row.packetsReceived) is outside 0...packetsSent (\(row.packetsSent))")
        }
        try validate(roundTrip: row.minRTT, field: "batch.ping.minRTT")
        try validate(roundTrip: row.avgRTT, field: "batch.ping.avgRTT")
        try validate(roundTrip: row.maxRTT, field: "batch.ping.maxRTT")
        try validate(roundTrip: row.stddevRTT, field: "batch.ping.stddevRTT")
    }

    private func validate(_ sample: ItemSample) throws(DomainViolation) {
        try validate(sample.timestamp, field: "batch.item.timestamp")
        if let rate = sample.rate, !rate.isFinite {
            throw DomainViolation(field: "batch.item.rate", reason: "\(rate) is not a finite number")
        }
    }

    private func validate(roundTrip: Double?, field: String) throws(DomainViolation) {
        guard let milliseconds = roundTrip else { return }
        guard milliseconds.isFinite, (0...Self.maximumRoundTripMilliseconds).contains(milliseconds) else {
            throw DomainViolation(
                field: field, reason: "\(milliseconds) ms is outside 0...\(Int(Self.maximumRoundTripMilliseconds)) ms")
        }
    }

    private func validate(_ timestamp: Date, field: String) throws(DomainViolation) {
        guard timestamp >= oldest else {
            throw DomainViolation(
                field: field,
                reason: "\(timestamp) is older than the \(Int(Self.maximumAge / 86_400)) days a spool keeps")
        }
        guard timestamp <= latest else {
            throw DomainViolation(field: field, reason: "\(timestamp) is in the future; the agent's clock is wrong")
        }
    }
}
