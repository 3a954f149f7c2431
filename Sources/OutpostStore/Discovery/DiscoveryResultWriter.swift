import Foundation
import Logging
import OutpostCore
import PostgresNIO

/// Writes the hosts a discovery job found: one `discovery_results` row per job and address
/// (a replayed batch writes nothing twice), matched against the existing devices of the
/// rule's branch, and, when the rule says so, new ones imported into `standalone_devices` with
/// the templates their vendor and type match.
///
/// Matching: the devices of the branch with the same IP; when several share it (the inventory
/// has duplicate IPs), the one whose name or hostname is the host's sysName, else the one an
/// earlier discovery linked to the host's MAC address. A host that matches none of several
/// devices sharing its IP is recorded but not imported (ambiguous). Concurrent writers of the
/// same branch and IP are serialised with a transaction-scoped advisory lock.
public struct DiscoveryResultWriter: Sendable {
    /// What writing some findings did.
    public struct Outcome: Sendable, Equatable {
        /// Findings written (new for their job).
        public var written = 0
        /// Findings already written (a replay), left alone.
        public var duplicates = 0
        /// Findings matched to an existing device.
        public var matched = 0
        /// Devices imported.
        public var imported = 0
        /// Findings for a job that is not this agent's, or whose address is not an IP address, refused.
        public var refused = 0

        public init() {}
    }

    private let logger: Logger

    /// Creates a writer logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// Writes `findings` reported by `agent`, each in its own transaction.
    public func write(_ findings: [DiscoveryFinding], from agent: AgentID, on connection: PostgresConnection)
        async throws -> Outcome
    {
        var outcome = Outcome()
        for finding in findings {
            try await connection.transaction(logger: logger) { connection in
                try await self.write(finding, from: agent, into: &outcome, on: connection)
            }
        }
        return outcome
    }

    private func write(
        _ finding: DiscoveryFinding, from agent: AgentID, into outcome: inout Outcome, on connection: PostgresConnection
    ) async throws {
        guard IPAddressText.isValid(finding.address) else {
            outcome.refused += 1
            logger.warning(
                "discovery finding refused: not an IP address",
                metadata: ["job": "\(finding.jobID)", "address": "\(finding.address.prefix(64))"])
            return
        }
        let jobRows = try await connection.query(
            """
            SELECT r.id, r.branch_id, r.auto_import FROM discovery_jobs j JOIN discovery_rules r ON r.id = j.rule_id
            WHERE j.id = \(finding.jobID) AND j.agent_id = \(agent.uuid)
            """, logger: logger)
        var rule: (id: UUID, branch: UUID?, autoImport: Bool)?
        for try await (id, branch, autoImport) in jobRows.decode((UUID, UUID?, Bool).self) {
            rule = (id, branch, autoImport)
        }
        guard let rule else {
            outcome.refused += 1
            logger.warning(
                "discovery finding refused: the job is not this agent's", metadata: ["job": "\(finding.jobID)"])
            return
        }
        let address = String(finding.address.prefix(45))
        try await connection.query(
            """
            SELECT pg_advisory_xact_lock(hashtextextended('outpost.discovery:' || coalesce(\(rule.branch)::text, '-') || ':' || \(address), 0))
            """, logger: logger)
        let inserted = try await connection.query(
            """
            INSERT INTO discovery_results (job_id, rule_id, ip_address, hostname, mac_address, vendor, device_type, snmp_reachable,
                                           snmp_version, sys_descr, sys_object_id, sys_name, sys_location, responds_to_icmp, discovered_at)
            VALUES (\(finding.jobID), \(rule.id), \(address), \(finding.sysName.map { String($0.prefix(255)) }),
                    \(finding.macAddress.map { String($0.prefix(17)) }), \(finding.vendor.map { String($0.prefix(100)) }),
                    \(String(finding.deviceType.prefix(50))), \(finding.snmpVersion != nil), \(finding.snmpVersion?.rawValue),
                    \(finding.sysDescr), \(finding.sysObjectID.map { String($0.prefix(200)) }), \(finding.sysName.map { String($0.prefix(255)) }),
                    \(finding.sysLocation.map { String($0.prefix(255)) }), \(finding.respondsToICMP), \(finding.foundAt))
            ON CONFLICT (job_id, ip_address) DO NOTHING
            RETURNING id
            """, logger: logger)
        var resultID: UUID?
        for try await id in inserted.decode(UUID.self) { resultID = id }
        guard let resultID else {
            outcome.duplicates += 1
            return
        }
        outcome.written += 1
        var imported = false
        switch try await match(finding, address: address, branch: rule.branch, excluding: resultID, on: connection) {
        case .existing(let device):
            outcome.matched += 1
            try await connection.query(
                "UPDATE discovery_results SET matched_device_id = \(device) WHERE id = \(resultID)", logger: logger)
        case .ambiguous(let count):
            logger.info(
                "discovered host shares its IP with several devices and matches none; not imported",
                metadata: ["address": "\(address)", "devices": "\(count)"])
        case .none where rule.autoImport:
            let device = try await importDevice(finding, address: address, branch: rule.branch, on: connection)
            try await connection.query(
                """
                UPDATE discovery_results SET imported_device_id = \(device), added_to_monitoring = TRUE, added_at = now() WHERE id = \(resultID)
                """, logger: logger)
            outcome.imported += 1
            imported = true
        case .none:
            break
        }
        try await connection.query(
            """
            UPDATE discovery_jobs SET discovered_devices = discovered_devices + 1,
                                      imported_devices = imported_devices + \(imported ? 1 : 0)::integer, updated_at = now()
            WHERE id = \(finding.jobID)
            """, logger: logger)
    }

    /// How a finding relates to the inventory.
    private enum Match {
        case none
        case existing(UUID)
        case ambiguous(Int)
    }

    private func match(
        _ finding: DiscoveryFinding, address: String, branch: UUID?, excluding result: UUID,
        on connection: PostgresConnection
    ) async throws -> Match {
        let rows = try await connection.query(
            """
            SELECT d.id,
                   coalesce(lower(d.name) = lower(\(finding.sysName)) OR lower(d.hostname) = lower(\(finding.sysName)), FALSE),
                   coalesce(\(finding.macAddress)::text IS NOT NULL AND EXISTS (
                       SELECT 1 FROM discovery_results r
                       WHERE r.id <> \(result) AND r.mac_address = \(finding.macAddress)
                         AND d.id IN (r.imported_device_id, r.matched_device_id)), FALSE)
            FROM standalone_devices d
            WHERE d.ip = \(address) AND d.branch_id IS NOT DISTINCT FROM \(branch)
            ORDER BY d.id
            """, logger: logger)
        var candidates: [(id: UUID, sameName: Bool, sameMAC: Bool)] = []
        for try await (id, sameName, sameMAC) in rows.decode((UUID, Bool, Bool).self) {
            candidates.append((id, sameName, sameMAC))
        }
        switch candidates.count {
        case 0: return .none
        case 1: return .existing(candidates[0].id)
        default:
            if let named = candidates.first(where: \.sameName) ?? candidates.first(where: \.sameMAC) {
                return .existing(named.id)
            }
            return .ambiguous(candidates.count)
        }
    }

    /// Adds the host to `standalone_devices` and applies the templates its vendor and type match.
    private func importDevice(
        _ finding: DiscoveryFinding, address: String, branch: UUID?, on connection: PostgresConnection
    ) async throws -> UUID {
        var custom: [String: String] = ["discovered_by": "discovery job \(finding.jobID.uuidString.lowercased())"]
        custom["mac_address"] = finding.macAddress
        custom["sys_object_id"] = finding.sysObjectID
        let customJSON = String(
            decoding: try JSONSerialization.data(withJSONObject: custom, options: [.sortedKeys]), as: UTF8.self)
        let name = String((finding.sysName.flatMap { $0.isEmpty ? nil : $0 } ?? address).prefix(200))
        let rows = try await connection.query(
            """
            INSERT INTO standalone_devices (name, ip, hostname, vendor, device_type, location, description, discovered_at, last_seen,
                                            branch_id, custom_fields)
            VALUES (\(name), \(address), \(finding.sysName.map { String($0.prefix(255)) }), \(finding.vendor.map { String($0.prefix(100)) }),
                    \(finding.deviceType), \(finding.sysLocation.map { String($0.prefix(200)) }), \(finding.sysDescr), \(finding.foundAt),
                    \(finding.foundAt), \(branch), \(customJSON)::jsonb)
            RETURNING id
            """, logger: logger)
        var device: UUID?
        for try await id in rows.decode(UUID.self) { device = id }
        guard let device else {
            throw DiscoveryStoreError.invalid(field: "standalone_devices", reason: "insert returned no id")
        }
        let templates = try await TemplateStore(logger: logger)
            .applyMatchingTemplates(
                toDevice: device, vendor: finding.vendor, deviceType: finding.deviceType, on: connection)
        logger.info(
            "discovered device imported",
            metadata: ["device": "\(device)", "address": "\(address)", "templates": "\(templates)"])
        return device
    }
}
