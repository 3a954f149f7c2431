import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// Writes LLDP and CDP neighbour reports into `network_topology` and ages out edges no walk
/// listed for a while (`docs/topology.md`).
///
/// Each neighbour becomes (or refreshes) one edge per (device, protocol, local port, remote
/// chassis, remote port), resolved to a known device by, in this order, its management
/// address, its chassis id (a MAC an interface of a device has) or its system name (a
/// device's hostname or name, also without its domain); devices of the reporting device's
/// branch are preferred. A report older than an edge's `last_seen` (a spooled batch replayed
/// late) changes nothing of it. Edges are marked inactive (`is_active` false, `aged_out_at`
/// set), never deleted, when not listed for `maximumAge`; listed again, they are active again.
public struct NeighbourWriter: Sendable {
    /// What refuses a report.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The reported device does not exist or is not of the agent's branch.
        case foreignDevice(UUID)

        public var description: String {
            switch self {
            case .foreignDevice(let id): "device \(id) is not of the agent's branch"
            }
        }
    }

    /// Edges not listed for this long age out when none is configured: three walks at the
    /// agent's default interval.
    public static let defaultMaximumAge: TimeInterval = 3_600

    private let maximumAge: TimeInterval
    private let logger: Logger

    /// A writer ageing out edges not listed for `maximumAge` seconds.
    public init(maximumAge: TimeInterval = Self.defaultMaximumAge, logger: Logger) {
        self.maximumAge = maximumAge
        self.logger = logger
    }

    /// Writes a validated `report` of a device of `branch` (the agent's), then ages out edges.
    /// - Throws: ``Refusal/foreignDevice(_:)`` when the device is not of `branch`.
    public func write(_ report: NeighbourReport, branch: UUID, on connection: PostgresConnection) async throws {
        try await connection.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT ip FROM standalone_devices WHERE id = \(report.deviceID) AND branch_id = \(branch)",
                logger: logger)
            var sourceIP: String?
            for try await ip in rows.decode(String.self) { sourceIP = ip }
            guard let sourceIP else { throw Refusal.foreignDevice(report.deviceID) }
            for neighbour in Set(report.neighbours) {
                try await upsert(neighbour, of: report, sourceIP: sourceIP, branch: branch, on: connection)
            }
        }
        try await ageOut(on: connection)
    }

    /// Marks active edges not listed for the maximum age as aged out; returns how many.
    @discardableResult
    public func ageOut(now: Date = Date(), on connection: PostgresConnection) async throws -> Int {
        let cutoff = now.addingTimeInterval(-maximumAge)
        let rows = try await connection.query(
            """
            UPDATE network_topology SET is_active = false, aged_out_at = \(now)
            WHERE is_active AND local_port_number IS NOT NULL AND last_seen < \(cutoff)
            RETURNING id
            """, logger: logger)
        var count = 0
        for try await _ in rows.decode(UUID.self) { count += 1 }
        return count
    }

    private func upsert(
        _ neighbour: NeighbourReport.Neighbour, of report: NeighbourReport, sourceIP: String, branch: UUID,
        on connection: PostgresConnection
    ) async throws {
        let chassisMAC = neighbour.remoteChassisID.map { $0.lowercased() }
        let shortName = neighbour.remoteSysName.map { String($0.split(separator: ".").first ?? "").lowercased() }
        try await connection.query(
            """
            WITH target AS (
                SELECT d.id, d.ip FROM standalone_devices d
                WHERE d.id <> \(report.deviceID) AND (
                    d.ip = \(neighbour.managementAddress)
                    OR EXISTS (SELECT 1 FROM device_interfaces i WHERE i.device_id = d.id AND i.mac_address = \(chassisMAC))
                    OR lower(d.hostname) = lower(\(neighbour.remoteSysName)) OR lower(d.name) = lower(\(neighbour.remoteSysName))
                    OR lower(split_part(d.hostname, '.', 1)) = \(shortName) OR lower(split_part(d.name, '.', 1)) = \(shortName))
                ORDER BY d.ip = \(neighbour.managementAddress) IS NOT TRUE,
                         NOT EXISTS (SELECT 1 FROM device_interfaces i
                                     WHERE i.device_id = d.id AND i.mac_address = \(chassisMAC)),
                         d.branch_id = \(branch) IS NOT TRUE, d.id
                LIMIT 1
            ), local_port AS (
                SELECT COALESCE(\(neighbour.localPort),
                    (SELECT COALESCE(name, description) FROM device_interfaces
                     WHERE device_id = \(report.deviceID) AND if_index = \(neighbour.localPortNumber))) AS name
            )
            INSERT INTO network_topology (
                source_ip, source_device_id, target_ip, target_device_id, connection_type, interface_name,
                local_port_number, target_interface, remote_chassis_id, remote_sysname, management_address,
                discovered_via, is_active, last_seen, first_discovered)
            SELECT \(sourceIP), \(report.deviceID),
                   COALESCE(\(neighbour.managementAddress), (SELECT ip FROM target), ''), (SELECT id FROM target),
                   \(neighbour.protocolName), left((SELECT name FROM local_port), 100), \(neighbour.localPortNumber),
                   \(neighbour.remotePort), \(neighbour.remoteChassisID), \(neighbour.remoteSysName),
                   \(neighbour.managementAddress), 'snmp', true, \(report.observedAt), \(report.observedAt)
            ON CONFLICT (source_device_id, connection_type, local_port_number,
                         COALESCE(remote_chassis_id, ''), COALESCE(target_interface, ''))
                WHERE local_port_number IS NOT NULL
            DO UPDATE SET
                source_ip = excluded.source_ip, target_ip = excluded.target_ip,
                target_device_id = excluded.target_device_id, interface_name = excluded.interface_name,
                remote_sysname = excluded.remote_sysname, management_address = excluded.management_address,
                is_active = true, aged_out_at = NULL, last_seen = excluded.last_seen
            WHERE network_topology.last_seen < excluded.last_seen
            """, logger: logger)
    }
}
