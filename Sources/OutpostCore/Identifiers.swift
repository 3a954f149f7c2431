import Foundation

/// The identity of an enrolled agent: the UUID carried in its certificate's
/// `outpost://agent/<uuid>` SAN and stored in the `agents` table.
public struct AgentID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }

    /// A new random agent identity.
    public static func random() -> AgentID { AgentID(UUID()) }

    /// Lower-case UUID text, as PostgreSQL prints it.
    public var description: String { uuid.uuidString.lowercased() }
}

/// The identity of a monitored device (`standalone_devices.id`).
public struct DeviceID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Lower-case UUID text, as PostgreSQL prints it.
    public var description: String { uuid.uuidString.lowercased() }
}

/// The identity of a monitoring item (`monitoring_items.id`): one OID polled on one device.
public struct ItemID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Wraps an existing UUID.
    public init(_ uuid: UUID) { self.uuid = uuid }

    /// Lower-case UUID text, as PostgreSQL prints it.
    public var description: String { uuid.uuidString.lowercased() }
}

/// Per-agent batch sequence number. Strictly increasing, survives agent restarts;
/// the collector's `agent_sequences.high_water` is the last one committed.
public typealias BatchSequence = UInt64

extension BatchSequence {
    /// The largest sequence the collector accepts: PostgreSQL stores sequences as `bigint`, and
    /// the next expected one (this plus one) must still fit.
    public static let largestAccepted: BatchSequence = BatchSequence(Int64.max) - 1
}
