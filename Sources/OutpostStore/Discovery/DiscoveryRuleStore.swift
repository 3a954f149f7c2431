import Foundation
import Logging
import OutpostCore
import OutpostRules
import PostgresNIO

/// `discovery_rules` and the SNMP rows of `discovery_credentials` (sealed; this type never sees plaintext).
public struct DiscoveryRuleStore: Sendable {
    private let logger: Logger

    /// Creates a store logging to `logger`.
    public init(logger: Logger) {
        self.logger = logger
    }

    /// The audit log's entity name for rules (the entity id is the rule's id).
    public static let auditEntity = "discovery_rule"

    /// Adds a rule after checking it (a name, at least one range, valid addresses and prefixes,
    /// a valid cron schedule, existing credentials, branch and agent), with its audit entry.
    public func add(_ rule: DiscoveryRuleRecord, by actor: AuditActor, on connection: PostgresConnection) async throws {
        try Self.validate(rule)
        try await checkAddresses(rule.ranges + rule.exclusions, on: connection)
        let known = try await existingCredentials(rule.credentialIDs, on: connection)
        if let missing = rule.credentialIDs.first(where: { !known.contains($0) }) {
            throw DiscoveryStoreError.unknownCredential(missing)
        }
        try await connection.transaction(logger: logger) { connection in
            try await self.insert(rule, on: connection)
            try await AuditLog(logger: logger).append(
                .diff(
                    action: "create", entity: Self.auditEntity, entityID: rule.id.uuidString.lowercased(), before: [:],
                    after: [
                        "name": .text(rule.name), "description": .optional(rule.description),
                        "ranges": .texts(rule.ranges), "exclusions": .texts(rule.exclusions),
                        "schedule": .optional(rule.schedule), "snmp": .bool(rule.snmp),
                        "credential_ids": .texts(rule.credentialIDs.map { $0.uuidString.lowercased() }),
                        "branch_id": .optional(rule.branchID?.uuidString.lowercased()),
                        "agent_id": .optional(rule.agentID?.uuidString.lowercased()),
                        "auto_import": .bool(rule.autoImport), "snmp_port": .integer(Int64(rule.snmpPort)),
                    ]),
                by: actor, on: connection)
        }
    }

    /// The id of the branch named `name`, for a rule's sweeping branch.
    public func branch(named name: String, on connection: PostgresConnection) async throws -> UUID {
        let rows = try await connection.query("SELECT id FROM branches WHERE name = \(name)", logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        throw DiscoveryStoreError.invalid(field: "branch", reason: "no branch named \(name.debugDescription)")
    }

    /// The region of the branch that sweeps the rule (its agent's branch when it names an agent),
    /// `nil` for none; a rule that does not exist is refused.
    public func region(ofRule id: UUID, on connection: PostgresConnection) async throws -> String? {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.regionOfRule("discovery_rules.id")) FROM discovery_rules WHERE id = \(id)",
            logger: logger)
        for try await region in rows.decode(String?.self) { return region }
        throw DiscoveryStoreError.unknownRule(id.uuidString.lowercased())
    }

    /// SQL for the region of the rule whose id is the column `ruleID` (never input).
    static func regionOfRule(_ ruleID: String) -> String {
        """
        (SELECT b.region FROM discovery_rules r LEFT JOIN agents a ON a.id = r.agent_id
         LEFT JOIN branches b ON b.id = coalesce(a.branch_id, r.branch_id) WHERE r.id = \(ruleID))
        """
    }

    private func insert(_ rule: DiscoveryRuleRecord, on connection: PostgresConnection) async throws {
        do {
            try await connection.query(
                """
                INSERT INTO discovery_rules (id, name, description, network_range, network_ranges, excluded_ranges, enabled, schedule,
                                             snmp_discovery, ping_only, credential_ids, branch_id, agent_id, auto_import, snmp_port)
                VALUES (\(rule.id), \(rule.name), \(rule.description), \(String(rule.ranges[0].prefix(100))), \(rule.ranges)::text[],
                        \(rule.exclusions)::text[], \(rule.enabled), \(rule.schedule), \(rule.snmp), \(!rule.snmp),
                        \(rule.credentialIDs)::uuid[], \(rule.branchID), \(rule.agentID), \(rule.autoImport), \(rule.snmpPort)::integer)
                """, logger: logger)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw DiscoveryStoreError.invalid(
                field: "name", reason: "a rule named \(rule.name.debugDescription) exists")
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw DiscoveryStoreError.invalid(field: "target", reason: "the branch or agent does not exist")
        }
    }

    /// Every rule, by name.
    public func list(on connection: PostgresConnection) async throws -> [DiscoveryRuleRecord] {
        try await rules(on: connection)
    }

    /// The rules swept from a branch in `regions` (the branch of the rule's agent when it names
    /// one), by name; every rule when `regions` is `nil`.
    public func list(inRegions regions: Set<String>?, on connection: PostgresConnection) async throws
        -> [DiscoveryRuleRecord]
    {
        try await rules(regions: regions.map(Array.init), on: connection)
    }

    /// Enabled rules that have a schedule.
    public func scheduledRules(on connection: PostgresConnection) async throws -> [DiscoveryRuleRecord] {
        try await rules(scheduledOnly: true, on: connection)
    }

    /// The rule whose id, or else whose name, is `specification`.
    public func rule(_ specification: String, on connection: PostgresConnection) async throws -> DiscoveryRuleRecord {
        let id = UUID(uuidString: specification)
        let found = try await rules(id: id, name: id == nil ? specification : nil, on: connection)
        guard let rule = found.first else { throw DiscoveryStoreError.unknownRule(specification) }
        return rule
    }

    /// Adds an SNMP discovery credential whose secrets are already sealed for
    /// ``DiscoveryCredentialRecord/field(_:)``, with its audit entry by `actor` (secrets masked).
    public func addCredential(
        _ record: DiscoveryCredentialRecord, by actor: AuditActor, on connection: PostgresConnection
    )
        async throws
    {
        guard ["v1", "v2c", "v3"].contains(record.version) else {
            throw DiscoveryStoreError.invalid(field: "version", reason: "must be v1, v2c or v3")
        }
        try await connection.transaction(logger: logger) { connection in
            try await insert(record, by: actor, on: connection)
        }
    }

    private func insert(_ record: DiscoveryCredentialRecord, by actor: AuditActor, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO discovery_credentials (id, name, credential_type, community_encrypted, username, auth_protocol,
                                               auth_key_encrypted, priv_protocol, priv_key_encrypted)
            VALUES (\(record.id), \(record.name), \(record.credentialType), \(record.community), \(record.username),
                    \(record.authProtocol), \(record.authKey), \(record.privProtocol), \(record.privKey))
            """, logger: logger)
        try await AuditLog(logger: logger).append(
            .diff(
                action: "create", entity: "discovery_credential", entityID: record.id.uuidString.lowercased(),
                before: [:],
                after: [
                    "name": .text(record.name), "version": .text(record.version), "user": .optional(record.username),
                    "secrets": .secret,
                ]), by: actor, on: connection)
    }

    /// The SNMP credentials among `ids`, sealed, in the order of `ids` (unknown or SSH ones left out).
    public func credentials(_ ids: [UUID], on connection: PostgresConnection) async throws
        -> [DiscoveryCredentialRecord]
    {
        let rows = try await connection.query(
            """
            SELECT id, name, credential_type, community_encrypted, username, auth_protocol, auth_key_encrypted, priv_protocol, priv_key_encrypted
            FROM discovery_credentials WHERE id = ANY(\(ids)::uuid[]) AND credential_type LIKE 'snmp_%'
            """, logger: logger)
        var byID: [UUID: DiscoveryCredentialRecord] = [:]
        for try await (id, name, type, community, user, authProtocol, authKey, privProtocol, privKey)
            in rows.decode((UUID, String, String, String?, String?, String?, String?, String?, String?).self)
        {
            byID[id] = DiscoveryCredentialRecord(
                id: id, name: name, version: String(type.dropFirst("snmp_".count)), community: community,
                username: user, authProtocol: authProtocol, authKey: authKey, privProtocol: privProtocol,
                privKey: privKey)
        }
        return ids.compactMap { byID[$0] }
    }

    /// Refuses a rule whose fields are out of range.
    static func validate(_ rule: DiscoveryRuleRecord) throws(DiscoveryStoreError) {
        guard (1...200).contains(rule.name.count), !rule.name.contains(where: \.isNewline) else {
            throw .invalid(field: "name", reason: "must be 1 to 200 characters on one line")
        }
        guard (1...65_535).contains(rule.snmpPort) else {
            throw .invalid(field: "snmp_port", reason: "must be 1 to 65535")
        }
        guard !rule.ranges.isEmpty else { throw .invalid(field: "ranges", reason: "at least one range is needed") }
        for (field, entries) in [("ranges", rule.ranges), ("exclusions", rule.exclusions)] {
            guard entries.count <= 1000, entries.allSatisfy({ (1...100).contains($0.count) }) else {
                throw .invalid(field: field, reason: "at most 1000 entries of 1 to 100 characters")
            }
        }
        if let schedule = rule.schedule {
            guard schedule.count <= 100 else { throw .invalid(field: "schedule", reason: "at most 100 characters") }
            do {
                _ = try CronSchedule(schedule)
            } catch {
                throw .invalid(field: "schedule", reason: error.description)
            }
        }
        guard rule.branchID != nil || rule.agentID != nil else {
            throw .invalid(field: "target", reason: "a branch or an agent must sweep the rule")
        }
        guard !rule.snmp || !rule.credentialIDs.isEmpty else {
            throw .invalid(
                field: "credentials", reason: "SNMP discovery needs at least one candidate credential (or ping only)")
        }
    }

    /// Checks each entry is an IP address or prefix (PostgreSQL's `inet` syntax).
    private func checkAddresses(_ entries: [String], on connection: PostgresConnection) async throws {
        for entry in entries {
            do {
                try await connection.query("SELECT \(entry)::inet", logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "22P02" {
                throw DiscoveryStoreError.invalid(
                    field: "ranges", reason: "\(entry.debugDescription) is not an IP address or prefix")
            }
        }
    }

    private func existingCredentials(_ ids: [UUID], on connection: PostgresConnection) async throws -> Set<UUID> {
        var found = Set<UUID>()
        let rows = try await connection.query(
            "SELECT id FROM discovery_credentials WHERE id = ANY(\(ids)::uuid[])", logger: logger)
        for try await id in rows.decode(UUID.self) { found.insert(id) }
        return found
    }

    /// Rules, all or those selected by id, name or having a schedule (enabled ones).
    private func rules(
        id: UUID? = nil, name: String? = nil, scheduledOnly: Bool = false, regions: [String]? = nil,
        on connection: PostgresConnection
    ) async throws
        -> [DiscoveryRuleRecord]
    {
        let rows = try await connection.query(
            """
            SELECT id, name, description, network_ranges, excluded_ranges, schedule, snmp_discovery AND NOT ping_only,
                   credential_ids, branch_id, agent_id, auto_import, snmp_port, enabled, last_run
            FROM discovery_rules
            WHERE (\(id)::uuid IS NULL OR id = \(id)) AND (\(name)::text IS NULL OR name = \(name))
              AND (NOT \(scheduledOnly) OR (enabled AND schedule IS NOT NULL))
              AND (\(regions)::text[] IS NULL OR \(unescaped: Self.regionOfRule("discovery_rules.id")) = ANY(\(regions)::text[]))
            ORDER BY name, id
            """, logger: logger)
        var rules: [DiscoveryRuleRecord] = []
        for try await (
            id, name, description, ranges, exclusions, schedule, snmp, credentials, branch, agent, autoImport, port,
            enabled, lastRun
        )
            in rows.decode(
                (
                    UUID, String, String?, [String], [String], String?, Bool, [UUID], UUID?, UUID?, Bool, Int32, Bool,
                    Date?
                ).self)
        {
            rules.append(
                DiscoveryRuleRecord(
                    id: id, name: name, description: description, ranges: ranges, exclusions: exclusions,
                    schedule: schedule, snmp: snmp, credentialIDs: credentials, branchID: branch, agentID: agent,
                    autoImport: autoImport, snmpPort: Int(port), enabled: enabled, lastRun: lastRun))
        }
        return rules
    }
}
