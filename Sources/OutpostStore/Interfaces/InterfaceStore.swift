import Foundation
import Logging
import PostgresNIO

/// One row of `device_interfaces`: inventory, state, newest metrics and ISP classification.
public struct DeviceInterface: Sendable, Equatable, Encodable {
    public let ifIndex: Int
    public let name: String?
    public let description: String?
    public let alias: String?
    public let ifType: Int?
    public let macAddress: String?
    /// Bits per second (ifHighSpeed × 10^6, else ifSpeed).
    public let speedBps: Int64?
    public let mtu: Int?
    public let adminStatus: String?
    public let operStatus: String?
    /// ifLastChange: the device's sysUpTime (1/100 s) at the last state change.
    public let lastChangeTicks: Int64?
    public let operStatusChangedAt: Date?
    public let firstSeenAt: Date
    public let lastSeenAt: Date
    /// When a walk of the device's ifTable first no longer listed it; `nil` while present.
    public let missingSince: Date?
    public let inBps: Double?
    public let outBps: Double?
    public let inUtilisationPercent: Double?
    public let outUtilisationPercent: Double?
    public let errorsPerSecond: Double?
    public let discardsPerSecond: Double?
    public let metricsAt: Date?
    /// Whether it counts as an ISP uplink: the operator's flag when set, else a provider match.
    public let isISPLink: Bool
    /// The operator's flag: `true`/`false` decide, `nil` leaves it to the patterns.
    public let ispOverride: Bool?
    /// The provider whose pattern its alias or description matched.
    public let ispProvider: String?
}

/// Reads interfaces and sets their ISP flag (docs/interfaces.md).
public struct InterfaceStore: Sendable {
    /// What refuses a flag update.
    public enum Failure: Error, Equatable {
        case unknownInterface
    }

    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The audit log's entity name for interfaces (the entity id is `<device id>/<ifIndex>`).
    public static let auditEntity = "interface"

    /// The interfaces of `device`, by ifIndex (missing ones included, marked).
    public func interfaces(device: UUID, on connection: PostgresConnection) async throws -> [DeviceInterface] {
        let rows = try await connection.query(
            """
            SELECT if_index, name, description, alias, if_type, mac_address, speed_bps, mtu, admin_status, oper_status,
                   last_change_ticks, oper_status_changed_at, first_seen_at, last_seen_at, missing_since,
                   in_bps, out_bps, in_utilisation_percent, out_utilisation_percent, errors_per_second,
                   discards_per_second, metrics_at, isp_override, isp_provider
            FROM device_interfaces WHERE device_id = \(device) ORDER BY if_index
            """, logger: logger)
        var interfaces: [DeviceInterface] = []
        for try await row in rows {
            let r = row.makeRandomAccess()
            let override = try r["isp_override"].decode(Bool?.self)
            let provider = try r["isp_provider"].decode(String?.self)
            interfaces.append(
                DeviceInterface(
                    ifIndex: Int(try r["if_index"].decode(Int32.self)), name: try r["name"].decode(String?.self),
                    description: try r["description"].decode(String?.self), alias: try r["alias"].decode(String?.self),
                    ifType: try r["if_type"].decode(Int32?.self).map(Int.init),
                    macAddress: try r["mac_address"].decode(String?.self),
                    speedBps: try r["speed_bps"].decode(Int64?.self),
                    mtu: try r["mtu"].decode(Int32?.self).map(Int.init),
                    adminStatus: try r["admin_status"].decode(String?.self),
                    operStatus: try r["oper_status"].decode(String?.self),
                    lastChangeTicks: try r["last_change_ticks"].decode(Int64?.self),
                    operStatusChangedAt: try r["oper_status_changed_at"].decode(Date?.self),
                    firstSeenAt: try r["first_seen_at"].decode(Date.self),
                    lastSeenAt: try r["last_seen_at"].decode(Date.self),
                    missingSince: try r["missing_since"].decode(Date?.self),
                    inBps: try r["in_bps"].decode(Double?.self),
                    outBps: try r["out_bps"].decode(Double?.self),
                    inUtilisationPercent: try r["in_utilisation_percent"].decode(Double?.self),
                    outUtilisationPercent: try r["out_utilisation_percent"].decode(Double?.self),
                    errorsPerSecond: try r["errors_per_second"].decode(Double?.self),
                    discardsPerSecond: try r["discards_per_second"].decode(Double?.self),
                    metricsAt: try r["metrics_at"].decode(Date?.self), isISPLink: override ?? (provider != nil),
                    ispOverride: override, ispProvider: provider))
        }
        return interfaces
    }

    /// Sets the operator's ISP flag of interface `ifIndex` of `device` (`nil`: the patterns
    /// decide again), audited; throws ``Failure/unknownInterface`` when there is no such interface.
    public func setISPOverride(
        _ value: Bool?, device: UUID, ifIndex: Int, by actor: AuditActor, on connection: PostgresConnection
    ) async throws {
        try await connection.transaction(logger: logger) { connection in
            guard let index = Int32(exactly: ifIndex) else { throw Failure.unknownInterface }
            let rows = try await connection.query(
                """
                UPDATE device_interfaces n SET isp_override = \(value), updated_at = now()
                FROM device_interfaces o
                WHERE n.device_id = \(device) AND n.if_index = \(index) AND o.id = n.id
                RETURNING o.isp_override
                """, logger: logger)
            var before: Bool??
            for try await old in rows.decode(Bool?.self) { before = .some(old) }
            guard let before else { throw Failure.unknownInterface }
            func audited(_ flag: Bool?) -> AuditValue { flag.map(AuditValue.bool) ?? .null }
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "update", entity: Self.auditEntity,
                    entityID: "\(device.uuidString.lowercased())/\(ifIndex)",
                    before: ["isp_override": audited(before)], after: ["isp_override": audited(value)]),
                by: actor, on: connection)
        }
    }
}
