import Foundation
import Logging
import OutpostCore
import OutpostPKI
import OutpostStore
import PostgresNIO

/// One step per legacy table: read, map (refusing rows with their reason), write, verify, and
/// tell the later steps what now exists.
struct LegacyTableSteps {
    let logger: Logger
    let source: any LegacySource
    let connection: PostgresConnection
    let dryRun: Bool
    let progress: LegacyProgress

    private var writer: LegacyTableWriter { LegacyTableWriter(logger: logger, connection: connection) }

    /// Maps `rows` with `map` (`nil`: a row with nothing to carry, counted as skipped), writes
    /// and verifies what mapped; returns the mapped rows with the legacy rows they came from.
    @discardableResult
    private func run(
        _ spec: TableSpec, rows: [LegacyRow], report: inout LegacyImportReport,
        map: (LegacyRow, inout [String]) throws -> MappedRow?
    ) async throws -> [(legacy: LegacyRow, mapped: MappedRow)] {
        var table = LegacyImportReport.Table(legacy: spec.legacy, outpost: spec.outpost)
        table.read = rows.count
        progress.start(spec.legacy, total: rows.count)
        var mapped: [(legacy: LegacyRow, mapped: MappedRow)] = []
        for row in rows {
            do {
                var notes: [String] = []
                guard let result = try map(row, &notes) else {
                    table.skipped += 1  // nothing to carry (the notes say why)
                    continue
                }
                report.notes += notes
                mapped.append((row, result))
                table.sourceChecksum.add(result.canonical)
            } catch {
                table.refused += 1
                report.refusals.append(
                    .init(
                        table: spec.legacy, legacyID: LegacyIdentifier.key(row.text("id") ?? "NULL"), reason: "\(error)"
                    ))
            }
        }
        if !dryRun {
            try await writer.write(mapped.map(\.mapped), spec: spec, into: &table)
            try await writer.verify(mapped.map(\.mapped), spec: spec, into: &table)
        } else {
            table.imported = mapped.count
        }
        progress.advance(to: rows.count)
        progress.finish()
        report.tables.append(table)
        return mapped
    }

    func branches(_ context: inout LegacyImportContext, _ report: inout LegacyImportReport) async throws {
        let rows = try await source.rows(of: "branches", columns: BranchMapping.columns, orderBy: "created_at")
        let existing = try await names("SELECT name, id::text FROM branches")
        var used: [String: String] = [:]
        let snapshot = context
        let mapped = try await run(BranchMapping.spec, rows: rows, report: &report) { row, notes in
            let result = try BranchMapping.map(row, context: snapshot, notes: &notes)
            let name = result.canonical.fields[0].value
            if let other = used[name] {
                throw LegacyValueError(
                    column: "name", reason: "\(name.debugDescription) is also the name of branch \(other)")
            }
            if let id = existing[name], id != result.outpostID {
                throw LegacyValueError(
                    column: "name", reason: "Outpost already has another branch named \(name.debugDescription)")
            }
            used[name] = result.legacyID
            return result
        }
        for (_, row) in mapped {
            if let id = UUID(uuidString: row.outpostID) { context.branches[id] = row.canonical.fields[0].value }
        }
    }

    /// Imports the devices; returns the legacy rows of those imported, by id.
    @discardableResult
    func devices(_ context: inout LegacyImportContext, _ report: inout LegacyImportReport) async throws
        -> [(id: UUID, row: LegacyRow)]
    {
        let rows = try await source.rows(
            of: "standalone_devices", columns: DeviceMapping.columns, orderBy: "created_at")
        let snapshot = context
        let mapped = try await run(DeviceMapping.spec, rows: rows, report: &report) { row, notes in
            try DeviceMapping.map(row, context: snapshot, notes: &notes)
        }
        var shared = 0
        var imported: [(id: UUID, row: LegacyRow)] = []
        for (legacy, row) in mapped {
            guard let id = UUID(uuidString: row.outpostID) else { continue }
            let name = row.canonical.fields[0].value
            let ip = row.canonical.fields[1].value
            context.devices[id] = (ip, name)
            context.devicesByIP[ip, default: []].append(id)
            imported.append((id, legacy))
        }
        for (_, ids) in context.devicesByIP where ids.count > 1 { shared += ids.count }
        if shared > 0 {
            report.notes.append(
                "standalone_devices: \(shared) devices share an address with another; kept as separate devices")
        }
        return imported
    }

    func credentials(
        _ rows: [LegacyRow], opener: LegacySecretOpener, _ context: inout LegacyImportContext,
        _ report: inout LegacyImportReport
    ) async throws {
        var byKey: [String: [String]] = [:]
        var existing: [UUID: (SNMPCredential, CanonicalRow)] = [:]
        if !dryRun, let key = context.masterKey {
            existing = try await existingCredentials(key: key)
        }
        var opened: [UUID: CredentialMapping.Opened] = [:]
        let snapshot = context
        try await run(CredentialMapping.spec, rows: rows, report: &report) { row, _ in
            let credential = try CredentialMapping.open(row, context: snapshot, opener: opener)
            let label = credential.id.uuidString.lowercased()
            for how in Set(
                credential.how.map { how -> String in
                    switch how {
                    case .key(let name): "Fernet key \(name)"
                    case .plaintext: "plaintext (not a Fernet token)"
                    }
                })
            {
                byKey[how, default: []].append(label)
            }
            opened[credential.id] = credential
            return try Self.credentialRow(
                credential, legacyID: label, masterKey: snapshot.masterKey, existing: existing)
        }
        for credential in opened.values {
            context.credentialDevices[credential.device, default: []] +=
                credential.credential.community.map { [$0] } ?? []
        }
        for (how, ids) in byKey.sorted(by: { $0.key < $1.key }) {
            report.notes.append(
                "snmp_credentials opened with \(how): \(ids.count) rows (\(ids.sorted().joined(separator: ", ")))")
        }
        if !dryRun, let key = context.masterKey {
            let stored = try await existingCredentials(key: key)
            var mismatched = 0
            for (id, credential) in opened where stored[id]?.0 != credential.credential { mismatched += 1 }
            if mismatched > 0, let index = report.tables.indices.last {
                report.tables[index].mismatches.append("\(mismatched) credentials whose secrets open differently")
            } else {
                report.notes.append("snmp_credentials: every secret opens under Outpost's master key as imported")
            }
        }
    }

    /// The communities kept on the legacy's device rows, for the imported devices that got no
    /// credential from `snmp_credentials` (nor have another one in Outpost): one v1/v2c
    /// credential each, sealed under the master key.
    func deviceCommunities(
        _ devices: [(id: UUID, row: LegacyRow)], opener: LegacySecretOpener, _ context: inout LegacyImportContext,
        _ report: inout LegacyImportReport
    ) async throws {
        var existing: [UUID: (SNMPCredential, CanonicalRow)] = [:]
        var others: Set<UUID> = []
        if !dryRun, let key = context.masterKey {
            existing = try await existingCredentials(key: key)
            let owners = try await names("SELECT id::text, device_id::text FROM snmp_credentials")
            let ours = Set(devices.map { DeviceCommunityMapping.credentialID(device: $0.id).uuidString.lowercased() })
            let imported = try await names(
                "SELECT outpost_id, legacy_id FROM legacy_import_map WHERE legacy_table = 'snmp_credentials'")
            for (id, device) in owners where !ours.contains(id) && imported[id] == nil {
                if let device = UUID(uuidString: device) { others.insert(device) }
            }
        }
        var byKey: [String: [String]] = [:]
        var covered: [String] = []
        var differing: [String] = []
        var opened: [UUID: CredentialMapping.Opened] = [:]
        let rows = devices.filter { !($0.row.text("snmp_community") ?? "").isEmpty }
        let ids = Dictionary(rows.map { (LegacyIdentifier.key($0.row.text("id") ?? ""), $0.id) }) { first, _ in first }
        let snapshot = context
        try await run(DeviceCommunityMapping.spec, rows: rows.map(\.row), report: &report) { row, _ in
            guard let device = ids[LegacyIdentifier.key(row.text("id") ?? "")] else { return nil }
            let label = device.uuidString.lowercased()
            guard let credential = try DeviceCommunityMapping.open(row, device: device, opener: opener) else {
                return nil
            }
            if let communities = snapshot.credentialDevices[device] {
                covered.append(label)
                if let community = credential.credential.community, !communities.contains(community) {
                    differing.append(label)
                }
                return nil
            }
            if others.contains(device) {
                covered.append(label)
                return nil
            }
            for how in credential.how {
                switch how {
                case .key(let name): byKey["Fernet key \(name)", default: []].append(label)
                case .plaintext: byKey["plaintext", default: []].append(label)
                }
            }
            opened[credential.id] = credential
            return try Self.credentialRow(
                credential, legacyID: label, masterKey: snapshot.masterKey, existing: existing)
        }
        let name = DeviceCommunityMapping.legacyName
        for (how, ids) in byKey.sorted(by: { $0.key < $1.key }) {
            report.notes.append(
                "\(name) opened with \(how): \(ids.count) devices (\(ids.sorted().joined(separator: ", ")))")
        }
        if !covered.isEmpty {
            report.notes.append(
                "\(name): \(covered.count) devices already have an SNMP credential; their column is not carried "
                    + "(\(covered.sorted().joined(separator: ", ")))")
        }
        if !differing.isEmpty {
            report.notes.append(
                "\(name): on \(differing.count) devices the column differs from the device's snmp_credentials row, "
                    + "which is kept (\(differing.sorted().joined(separator: ", ")))")
        }
        if !dryRun, let key = context.masterKey, !opened.isEmpty {
            let stored = try await existingCredentials(key: key)
            let mismatched = opened.filter { stored[$0.key]?.0 != $0.value.credential }.count
            if mismatched > 0, let index = report.tables.indices.last {
                report.tables[index].mismatches.append("\(mismatched) credentials whose secrets open differently")
            } else {
                report.notes.append("\(name): every community opens under Outpost's master key as imported")
            }
        }
        for credential in opened.values {
            context.credentialDevices[credential.device, default: []] +=
                credential.credential.community.map { [$0] } ?? []
        }
    }

    func users(_ context: inout LegacyImportContext, _ report: inout LegacyImportReport) async throws {
        let rows = try await source.rows(of: "users", columns: UserMapping.columns, orderBy: "id")
        let mappedUsers = try await names(
            "SELECT legacy_id, outpost_id FROM legacy_import_map WHERE legacy_table = 'users'")
        let importedNames = Set(mappedUsers.values)
        let all = try await names("SELECT username, id::text FROM users")
        let taken = Set(all.keys).subtracting(importedNames)
        let snapshot = context
        try await run(UserMapping.spec, rows: rows, report: &report) { row, notes in
            try UserMapping.map(row, context: snapshot, taken: taken, notes: &notes).row
        }
    }

    func templates(
        _ context: inout LegacyImportContext, _ report: inout LegacyImportReport, actor: AuditActor
    ) async throws {
        let rows = try await source.rows(
            of: "monitoring_templates",
            columns: ["id", "name", "description", "vendor", "device_types", "items", "triggers"],
            orderBy: "name")
        var table = LegacyImportReport.Table(legacy: "monitoring_templates", outpost: "monitoring_templates")
        table.read = rows.count
        var converted: [(id: String, template: MonitoringTemplate, canonical: CanonicalRow)] = []
        for row in rows {
            let id = LegacyIdentifier.key(row.text("id") ?? "NULL")
            do {
                var object: [String: Any] = [:]
                object["name"] = try row.required("name")
                object["description"] = row.text("description")
                object["vendor"] = row.text("vendor")
                object["device_types"] = try row.json("device_types")
                object["items"] = try row.json("items") ?? []
                object["triggers"] = try row.json("triggers") ?? []
                let template = try LegacyTemplateFormat.template(object, source: "monitoring_templates \(id)")
                let canonical = try TemplateCanonical.row(template)
                table.sourceChecksum.add(canonical)
                converted.append((id, template, canonical))
            } catch {
                table.refused += 1
                report.refusals.append(.init(table: "monitoring_templates", legacyID: id, reason: "\(error)"))
            }
        }
        for entry in converted { context.itemNames.formUnion(entry.template.items.map(\.name)) }
        if dryRun {
            table.imported = converted.count
        } else {
            let store = TemplateStore(logger: logger)
            for entry in converted {
                let result = try await store.importTemplates(
                    [entry.template], builtin: false, by: actor, on: connection)
                table.imported += 1
                if !result.unchanged.isEmpty { table.unchanged += 1 }
                try await connection.query(
                    """
                    INSERT INTO legacy_import_map (legacy_table, legacy_id, outpost_id)
                    VALUES ('monitoring_templates', \(entry.id), \(entry.template.name))
                    ON CONFLICT (legacy_table, legacy_id) DO UPDATE SET outpost_id = EXCLUDED.outpost_id
                    WHERE legacy_import_map.outpost_id <> EXCLUDED.outpost_id
                    """, logger: logger)
            }
            let rowsForVerify = converted.map {
                MappedRow(legacyID: $0.id, outpostID: $0.template.name, canonical: $0.canonical, upsert: "SELECT 1")
            }
            try await writer.verify(rowsForVerify, spec: TemplateCanonical.spec, into: &table)
        }
        report.tables.append(table)
    }

    func alertRules(_ context: inout LegacyImportContext, _ report: inout LegacyImportReport) async throws {
        let rows = try await source.rows(of: "alert_rules", columns: AlertRuleMapping.columns, orderBy: "created_at")
        let snapshot = context
        let mapped = try await run(AlertRuleMapping.spec, rows: rows, report: &report) { row, notes in
            try AlertRuleMapping.map(row, context: snapshot, notes: &notes)
        }
        for (_, row) in mapped { if let id = UUID(uuidString: row.outpostID) { context.rules.insert(id) } }
    }

    func alerts(_ context: inout LegacyImportContext, _ report: inout LegacyImportReport) async throws {
        let rows = try await source.rows(
            of: "alert_history", columns: AlertHistoryMapping.columns, orderBy: "triggered_at")
        let snapshot = context
        // The placeholder rules first: the alerts refer to them.
        var placeholders: [UUID: String] = [:]
        for row in rows {
            var ignored: [String] = []
            _ = try? AlertHistoryMapping.map(row, context: snapshot, placeholders: &placeholders, notes: &ignored)
        }
        if !dryRun, !placeholders.isEmpty {
            let logger = self.logger
            try await connection.withTransaction(logger: logger) { connection in
                for (id, name) in placeholders {
                    try await connection.query(AlertHistoryMapping.placeholderInsert(id, name: name), logger: logger)
                }
            }
        }
        for (id, name) in placeholders.sorted(by: { $0.value < $1.value }) {
            report.notes.append(
                "alert_history: alerts of \(name.debugDescription) have no rule in Outpost; attached to the disabled "
                    + "placeholder rule \(id.uuidString.lowercased())")
        }
        try await run(AlertHistoryMapping.spec, rows: rows, report: &report) { row, notes in
            var unused: [UUID: String] = [:]
            return try AlertHistoryMapping.map(row, context: snapshot, placeholders: &unused, notes: &notes)
        }
    }

    func discoveryRules(_ context: inout LegacyImportContext, _ report: inout LegacyImportReport) async throws {
        let rows = try await source.rows(
            of: "discovery_rules", columns: DiscoveryRuleMapping.columns, orderBy: "created_at")
        let imported = try await names(
            "SELECT outpost_id, legacy_id FROM legacy_import_map WHERE legacy_table = 'discovery_rules'")
        let all = try await names("SELECT name, id::text FROM discovery_rules")
        let taken = Set(all.filter { imported[$0.value] == nil }.keys)
        try await run(DiscoveryRuleMapping.spec, rows: rows, report: &report) { row, notes in
            try DiscoveryRuleMapping.map(row, taken: taken, notes: &notes)
        }
    }

    /// Two text columns as a dictionary, first → second.
    private func names(_ sql: String) async throws -> [String: String] {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        var result: [String: String] = [:]
        for try await (key, value) in rows.decode((String, String).self) { result[key] = value }
        return result
    }

    /// The row of an opened legacy credential: sealed under `masterKey` and upserted unless equal to
    /// what Outpost holds (a dry run without a key writes nothing).
    private static func credentialRow(
        _ credential: CredentialMapping.Opened, legacyID: String, masterKey: MasterKey?,
        existing: [UUID: (SNMPCredential, CanonicalRow)]
    ) throws -> MappedRow {
        let upsert: PostgresQuery
        if let key = masterKey {
            upsert = try CredentialMapping.upsert(
                credential, existing: existing[credential.id]?.0, existingCanonical: existing[credential.id]?.1,
                key: key)
        } else {
            upsert = "SELECT 1 WHERE FALSE"
        }
        return MappedRow(
            legacyID: legacyID, outpostID: credential.id.uuidString.lowercased(),
            canonical: CredentialMapping.canonical(credential), upsert: upsert)
    }

    /// Outpost's credential rows, opened, with their canonical fields.
    private func existingCredentials(key: MasterKey) async throws -> [UUID: (SNMPCredential, CanonicalRow)] {
        let rows = try await connection.query(
            """
            SELECT id, device_id, version, community_encrypted, username, auth_protocol, auth_key_encrypted,
                   priv_protocol, priv_key_encrypted, security_level, created_at, updated_at
            FROM snmp_credentials
            """, logger: logger)
        var result: [UUID: (SNMPCredential, CanonicalRow)] = [:]
        for try await (id, device, version, community, user, auth, authKey, priv, privKey, level, created, updated)
            in rows.decode(
                (UUID, UUID, String, String?, String?, String?, String?, String?, String?, String?, Date, Date?).self)
        {
            let record = SNMPCredentialRecord(
                id: id, deviceID: device, version: version, community: community, username: user, authProtocol: auth,
                authKey: authKey, privProtocol: priv, privKey: privKey)
            guard let credential = try? key.openLegacy(record) else { continue }
            let opened = CredentialMapping.Opened(
                id: id, device: device, credential: credential, securityLevel: level, created: created,
                updated: updated,
                how: [])
            result[id] = (credential, CredentialMapping.canonical(opened))
        }
        return result
    }
}
