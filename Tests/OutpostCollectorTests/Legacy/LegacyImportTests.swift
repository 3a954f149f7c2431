import Foundation
import Logging
import OutpostLegacy
import OutpostPKI
import OutpostStore
import OutpostTestSupport
import PostgresNIO
import Testing

/// `import legacy` against a legacy database built by the legacy's schema with messy rows and
/// Fernet secrets from Python's `cryptography` (LegacyFixture), into a migrated Outpost.
@Suite("Legacy WARD OPS import", .tags(.postgres), .needsPostgres)
struct LegacyImportTests {
    static let logger = Logger(label: "outpost.test.legacy")

    /// Runs the importer in process.
    static func importLegacy(
        _ fixture: LegacyFixture, into connection: PostgresConnection, keys: [FernetKey]? = nil, masterKey: MasterKey,
        dryRun: Bool = false, now: Date
    ) async throws -> LegacyImportReport {
        let source = try await SQLiteLegacySource.open(path: fixture.path, logger: logger)
        defer { Task { try? await source.close() } }
        let options = LegacyImportOptions(
            fernetKeys: keys ?? [
                FernetKey(fixture.key1, label: "ward.key")!, FernetKey(fixture.key2, label: "api.key")!,
            ],
            masterKey: masterKey, dryRun: dryRun, now: now)
        return try await LegacyImporter(
            source: source, connection: connection, options: options, progress: LegacyProgress(quiet: true),
            logger: logger
        ).run()
    }

    static func table(_ report: LegacyImportReport, _ name: String) -> LegacyImportReport.Table? {
        report.tables.first { $0.legacy == name }
    }

    static func counts(_ report: LegacyImportReport, _ name: String) -> [Int] {
        guard let table = table(report, name) else { return [] }
        return [table.read, table.imported, table.refused]
    }

    @Test("every table: counts, refused rows with their reasons, checksums equal, secrets re-sealed")
    func importsAndVerifies() async throws {
        let now = Date()
        try await withTemporaryDirectory { directory in
            let fixture = try await LegacyFixture.make(in: directory, now: now)
            try await TestDatabase.withMigrated { db, _ in
                let masterKey = MasterKey.generate()
                let report = try await Self.importLegacy(fixture, into: db, masterKey: masterKey, now: now)
                #expect(report.verified, "\(report.text)")
                #expect(Self.counts(report, "branches") == [5, 4, 1])
                #expect(Self.counts(report, "standalone_devices") == [10, 7, 3])
                #expect(Self.counts(report, "snmp_credentials") == [6, 4, 2])
                #expect(Self.counts(report, "users") == [5, 3, 2])
                #expect(Self.counts(report, "monitoring_templates") == [2, 1, 1])
                #expect(Self.counts(report, "alert_rules") == [8, 6, 2])
                #expect(Self.counts(report, "alert_history") == [5, 4, 1])
                #expect(Self.counts(report, "discovery_rules") == [2, 1, 1])
                for table in report.tables where table.aggregate == nil {
                    #expect(table.sourceChecksum == table.targetChecksum, "\(table.legacy)")
                }
                let reasons = report.refusals.map(\.description)
                for expected in [
                    "branches 0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d05: name: must not contain control characters",
                    #"standalone_devices 5c0d0007-aa11-bb22-cc33-dd44ee55ff66: ip: "10.20.1.300" is not an IPv4 or IPv6 address"#,
                    "standalone_devices 5c0d0008-aa11-bb22-cc33-dd44ee55ff66: branch_id: branch 9d9d9d9d-0000-4000-8000-000000000000 does not exist (or was refused)",
                    "standalone_devices 5c0d0009-aa11-bb22-cc33-dd44ee55ff66: tags: unparseable JSON",
                    "snmp_credentials aa000005-aa00-0001-aa00-0001aa000001: community_encrypted: the community is empty",
                    "users 4: username: 1 to 50 letters, digits, '.', '_' or '-'",
                    #"users 5: role: unknown role "SUPERHERO""#,
                    #"alert_rules 1d2e3f40-0000-4000-8000-000000000005: severity: unknown severity "urgent""#,
                    "alert_history ab000000-0000-0000-0000-000000000005: resolved_at: is before triggered_at",
                    #"discovery_rules d1000002-aa00-0001-aa00-0001aa000001: network_range: "10.20.1.0/33" is not an address or prefix"#,
                    "ping_results 60: device_ip",
                    "ping_results 61: timestamp: is NULL",
                ] {
                    #expect(reasons.contains { $0.hasPrefix(expected) }, "missing refusal \(expected)\n\(report.text)")
                }
                // Duplicate addresses stay separate devices; names trimmed and reported.
                #expect(try await db.integer("SELECT count(*) FROM standalone_devices WHERE ip = '10.99.0.7'") == 2)
                #expect(
                    try await db.strings("SELECT name FROM standalone_devices WHERE ip = '10.30.1.30'") == [
                        "Zugdidi-NVR -"
                    ])
                #expect(report.notes.contains { $0.contains(#""Zugdidi-NVR -  " trimmed to "Zugdidi-NVR -""#) })
                // Regions and towns matched; Georgian name from the town.
                #expect(
                    try await db.strings(
                        """
                        SELECT b.name || '|' || coalesce(b.region, '-') || '|' || coalesce(c.name_en, '-') || '|' || coalesce(b.display_name_ka, '-')
                        FROM branches b LEFT JOIN georgian_cities c ON c.id = b.city_id ORDER BY b.name
                        """)
                        == [
                            "Batumi|Adjara|Batumi|ბათუმი", "Batumi Favorites (2nd)|Adjara|Batumi|-",
                            "Zestafoni|Imereti|Zestaponi|-", "Zugdidi 2|Samegrelo-Zemo Svaneti|Zugdidi|-",
                        ])
                #expect(report.notes.contains { $0.contains(#"region "Atlantis" matches no Outpost region"#) })
                // Secrets: both keys and the plaintext row, re-sealed under the master key.
                #expect(report.notes.contains { $0.contains("opened with Fernet key ward.key: 2 rows") })
                #expect(report.notes.contains { $0.contains("opened with Fernet key api.key: 1 rows") })
                #expect(report.notes.contains { $0.contains("opened with plaintext (not a Fernet token): 1 rows") })
                let stored = try await CredentialStore(logger: Self.logger).snmpCredentials(
                    ofBranch: UUID(uuidString: "0b9f3c1e-2a44-4c1b-9d0e-1f2a3b4c5d01")!, on: db)
                let opened = try stored.map { try masterKey.open($0) }
                #expect(Set(opened.compactMap(\.community)) == ["credo-ro", "plain-public"])
                #expect(
                    opened.contains {
                        $0.user == "monitor" && $0.authKey == "auth-pass-1" && $0.privKey == "priv-pass-1"
                    })
                // Communities kept on the device rows: a credential for each device without one.
                #expect(Self.counts(report, "standalone_devices.snmp_community") == [5, 3, 0])
                #expect(Self.table(report, "standalone_devices.snmp_community")?.skipped == 2)
                #expect(
                    try await Self.communities(db, masterKey) == [
                        "5c0d0001-aa11-bb22-cc33-dd44ee55ff66": ["v2c credo-ro"],
                        "5c0d0002-aa11-bb22-cc33-dd44ee55ff66": ["v2c paybox-ro"],
                        "5c0d0003-aa11-bb22-cc33-dd44ee55ff66": ["v2c nvr-public"],
                        "5c0d0004-aa11-bb22-cc33-dd44ee55ff66": ["v2c plain-public"],
                        "5c0d0005-aa11-bb22-cc33-dd44ee55ff66": ["v2c atm-ro"],
                        "5c0d0006-aa11-bb22-cc33-dd44ee55ff66": ["v3 -"],
                        "5c0d0010-aa11-bb22-cc33-dd44ee55ff66": ["v2c core-ro"],
                    ])
                for note in [
                    "standalone_devices.snmp_community opened with Fernet key api.key: 1 devices (5c0d0010-",
                    "standalone_devices.snmp_community opened with plaintext: 2 devices (5c0d0003-",
                    "standalone_devices.snmp_community: 2 devices already have an SNMP credential",
                    "standalone_devices.snmp_community: on 1 devices the column differs",
                    "standalone_devices.snmp_community: every community opens under Outpost's master key",
                ] {
                    #expect(report.notes.contains { $0.hasPrefix(note) }, "missing note \(note)\n\(report.text)")
                }
                // Users: bcrypt kept and active; argon2 and pbkdf2 disabled with a reset required.
                #expect(
                    try await db.strings(
                        "SELECT username || ':' || role || ':' || is_active FROM users ORDER BY username")
                        == ["admin:admin:false", "giorgi:technician:true", "nino.b:regional_manager:false"])
                #expect(
                    try await db.strings(
                        "SELECT r.region FROM user_regions r JOIN users u ON u.id = r.user_id WHERE u.username = 'nino.b' ORDER BY 1"
                    )
                        == ["Adjara", "Samegrelo-Zemo Svaneti"])
                #expect(report.notes.contains { $0.contains("users 1 (admin): argon2 password hash") })
                #expect(report.notes.contains { $0.contains("users 2 (nino.b): pbkdf2-sha256 password hash") })
                // Rules: translated, or disabled with the reason; ids kept (also a non-RFC 4122 one).
                #expect(
                    try await db.strings(
                        "SELECT name || '|' || expression || '|' || enabled FROM alert_rules WHERE description IS DISTINCT FROM 'Placeholder for imported legacy alerts whose rule is not in Outpost' ORDER BY name"
                    )
                        == [
                            "CPU|cpu_load > 90|false", "Device Down - Critical|ping_unreachable >= 5|true",
                            "Flapping|status_changes >= 3 in 5 minutes|true", "High Latency|avg_ping_ms > 200|true",
                            "ISP slow|isp_link AND response_time > 100ms|true", "Junk|ping_unreachable >= (((|false",
                        ])
                #expect(
                    try await db.integer(
                        "SELECT count(*) FROM alert_rules WHERE id = 'f74211c0-aa82-49b6-0d17-d6a8ba5b74b8'") == 1)
                #expect(
                    report.notes.contains {
                        $0.contains(
                            "(CPU): expression \"cpu_load > 90\" reads cpu_load, which Outpost does not measure; imported disabled"
                        )
                    })
                // Alerts: open ones stay open; those without a rule hang on a disabled placeholder.
                #expect(try await db.integer("SELECT count(*) FROM alert_history WHERE resolved_at IS NULL") == 2)
                #expect(
                    try await db.strings(
                        "SELECT r.name FROM alert_history a JOIN alert_rules r ON r.id = a.rule_id WHERE NOT r.enabled AND r.expression = 'FALSE' ORDER BY 1"
                    )
                        == ["Deleted rule (legacy)", "Device Unreachable (legacy)"])
                // Templates in the legacy format: names normalised, gauge and error mapped.
                let template = try await TemplateStore(logger: Self.logger).document(named: "Cisco IOS Legacy", on: db)
                #expect(
                    template?.template.items.map(\.name) == [
                        "sys_up_time", "cpu_5sec", "if_oper_status", "if_in_errors",
                    ])
                #expect(template?.template.items[1].valueType == "gauge32")
                #expect(template?.template.triggers.map(\.severity) == ["warning", "high", "warning"])
                #expect(template?.template.triggers[2].expression == "rate(if_in_errors) > 100")
                // Ping history: recent rows raw, older ones in the roll-ups, the rest counted.
                let pings = try #require(Self.table(report, "ping_results"))
                #expect([pings.read, pings.imported, pings.refused, pings.skipped] as [Int] == [61, 58, 2, 1])
                #expect(try await db.integer("SELECT count(*) FROM ping_results") == 46)
                #expect(try await db.integer("SELECT coalesce(sum(samples), 0) FROM ping_rollup_1h") == 12)
                #expect(try await db.integer("SELECT count(*) FROM rollup_pending WHERE kind = 'ping'") > 0)
                #expect(
                    try await db.strings(
                        "SELECT device_name FROM ping_results WHERE device_ip = '10.99.0.7' AND device_id IS NOT NULL ORDER BY 1"
                    )
                        == ["Batumi-ATM", "Zestafoni-ATM"])
                #expect(
                    try await db.integer(
                        "SELECT count(*) FROM ping_results WHERE device_ip = '10.55.55.55' AND device_id IS NULL") == 1)
                // The scheduled task's truncated loss fraction becomes a percentage; RTT 0 when down is NULL.
                #expect(
                    try await db.strings(
                        "SELECT DISTINCT packet_loss_percent || '|' || coalesce(avg_rtt_ms::text, 'NULL') FROM ping_results WHERE device_ip = '10.20.1.5' ORDER BY 1"
                    )
                        == ["0|4", "100|NULL"])
            }
        }
    }

    @Test("naive timestamps: the seed's columns read as Asia/Tbilisi, the application's as UTC")
    func timeZonesPinned() async throws {
        let now = Date()
        try await withTemporaryDirectory { directory in
            let fixture = try await LegacyFixture.make(in: directory, now: now)
            try await TestDatabase.withMigrated { db, _ in
                let report = try await Self.importLegacy(fixture, into: db, masterKey: .generate(), now: now)
                let zones = Dictionary(uniqueKeysWithValues: report.timeZones.map { ($0.column, $0.zone) })
                #expect(zones["branches.created_at"] == .tbilisi)
                #expect(zones["standalone_devices.last_seen"] == .tbilisi)
                #expect(zones["standalone_devices.down_since"] == .utc)
                #expect(zones["alert_history.triggered_at"] == .utc)
                #expect(zones["ping_results.timestamp"] == .utc)
                #expect(report.text.contains("Asia/Tbilisi: branches.created_at"))
                let utc = "to_char(%@ AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
                #expect(
                    try await db.strings(
                        "SELECT \(utc.replacingOccurrences(of: "%@", with: "created_at")) FROM branches WHERE name = 'Batumi'"
                    )
                        == ["2025-10-10 11:27:47.000000"])
                #expect(
                    try await db.strings(
                        "SELECT \(utc.replacingOccurrences(of: "%@", with: "triggered_at")) FROM alert_history WHERE value = '7'"
                    )
                        == ["2025-10-24 08:00:00.123456"])
                #expect(
                    try await db.strings(
                        "SELECT \(utc.replacingOccurrences(of: "%@", with: "down_since")) FROM standalone_devices WHERE name = 'Batumi-Router'"
                    )
                        == ["2025-10-24 08:00:00.123456"])
                // Zabbix's "never" is no time at all.
                #expect(
                    try await db.strings(
                        "SELECT coalesce(last_seen::text, 'NULL') FROM standalone_devices WHERE ip = '10.30.1.20'")
                        == ["NULL"])
            }
        }
    }

    @Test("a second run changes nothing; --dry-run writes nothing; a wrong Fernet key is refused before writing")
    func idempotentDryRunAndWrongKey() async throws {
        let now = Date()
        try await withTemporaryDirectory { directory in
            let fixture = try await LegacyFixture.make(in: directory, now: now)
            try await TestDatabase.withMigrated { db, _ in
                let masterKey = MasterKey.generate()
                await #expect(throws: (any Error).self) {
                    _ = try await Self.importLegacy(
                        fixture, into: db, keys: [FernetKey(LegacyFixture.randomKey(), label: "wrong")!],
                        masterKey: masterKey, now: now)
                }
                let dry = try await Self.importLegacy(fixture, into: db, masterKey: masterKey, dryRun: true, now: now)
                #expect(dry.dryRun)
                #expect(Self.counts(dry, "standalone_devices") == [10, 7, 3])
                for table in [
                    "branches", "standalone_devices", "users", "alert_rules", "ping_results", "legacy_import_map",
                ] {
                    #expect(try await db.integer("SELECT count(*) FROM \(table)") == 0, "\(table)")
                }

                let first = try await Self.importLegacy(fixture, into: db, masterKey: masterKey, now: now)
                #expect(first.verified)
                let snapshot = try await Self.snapshot(db)
                let second = try await Self.importLegacy(fixture, into: db, masterKey: masterKey, now: now)
                #expect(second.verified, "\(second.text)")
                for table in second.tables where table.aggregate == nil {
                    #expect(
                        table.unchanged == table.imported, "\(table.legacy): \(table.unchanged) of \(table.imported)")
                }
                #expect(try await Self.snapshot(db) == snapshot)
            }
        }
    }

    @Test("a legacy moved to PostgreSQL reads through the same mapping: same rows, same checksums")
    func postgresLegacy() async throws {
        let now = Date()
        try await withTemporaryDirectory { directory in
            let fixture = try await LegacyFixture.make(in: directory, now: now, postgres: true)
            let statements = try String(contentsOfFile: try #require(fixture.postgresSQL), encoding: .utf8)
                .split(separator: "\n")
            let masterKey = MasterKey.generate()
            let fromSQLite = try await TestDatabase.withMigrated { db, _ in
                try await Self.importLegacy(fixture, into: db, masterKey: masterKey, now: now)
            }
            try await TestDatabase.withEmpty { legacy, legacyDatabase in
                for statement in statements { try await legacy.execute(String(statement)) }
                try await TestDatabase.withMigrated { db, _ in
                    let source = try await PostgresLegacySource.open(url: legacyDatabase.url, logger: Self.logger)
                    let options = LegacyImportOptions(
                        fernetKeys: [
                            FernetKey(fixture.key1, label: "ward.key")!, FernetKey(fixture.key2, label: "api.key")!,
                        ],
                        masterKey: masterKey, now: now)
                    let report = try await LegacyImporter(
                        source: source, connection: db, options: options, progress: LegacyProgress(quiet: true),
                        logger: Self.logger
                    ).run()
                    try await source.close()
                    #expect(report.verified, "\(report.text)")
                    for (sqlite, postgres) in zip(fromSQLite.tables, report.tables) {
                        #expect(sqlite.legacy == postgres.legacy)
                        #expect(
                            [sqlite.read, sqlite.imported, sqlite.refused] as [Int] == [
                                postgres.read, postgres.imported, postgres.refused,
                            ], "\(sqlite.legacy)")
                        #expect(sqlite.sourceChecksum == postgres.sourceChecksum, "\(sqlite.legacy)")
                        #expect(sqlite.aggregate?.source == postgres.aggregate?.source, "\(sqlite.legacy)")
                    }
                    #expect(report.refusals == fromSQLite.refusals)
                }
            }
        }
    }

    /// Every SNMP credential opened with the master key: device → "version community" (`-`
    /// for none).
    static func communities(_ db: PostgresConnection, _ key: MasterKey) async throws -> [String: [String]] {
        let rows = try await db.query(
            """
            SELECT id, device_id, version, community_encrypted, username, auth_protocol, auth_key_encrypted,
                   priv_protocol, priv_key_encrypted
            FROM snmp_credentials ORDER BY id
            """, logger: logger)
        var result: [String: [String]] = [:]
        for try await (id, device, version, community, user, auth, authKey, priv, privKey) in rows.decode(
            (UUID, UUID, String, String?, String?, String?, String?, String?, String?).self)
        {
            let opened = try key.open(
                SNMPCredentialRecord(
                    id: id, deviceID: device, version: version, community: community, username: user,
                    authProtocol: auth, authKey: authKey, privProtocol: priv, privKey: privKey))
            result[device.uuidString.lowercased(), default: []].append("\(version) \(opened.community ?? "-")")
        }
        return result
    }

    /// What an import leaves, as text: the imported tables' rows (ids, carried columns).
    static func snapshot(_ db: PostgresConnection) async throws -> [String] {
        var lines: [String] = []
        for sql in [
            "SELECT string_agg(to_jsonb(b)::text, '\n' ORDER BY id) FROM branches b",
            "SELECT string_agg((to_jsonb(d) - 'updated_at')::text, '\n' ORDER BY id) FROM standalone_devices d",
            "SELECT string_agg(id::text || version || coalesce(username, ''), '\n' ORDER BY id) FROM snmp_credentials",
            "SELECT string_agg(username || role || is_active, '\n' ORDER BY username) FROM users",
            "SELECT string_agg(to_jsonb(r)::text, '\n' ORDER BY id) FROM alert_rules r",
            "SELECT string_agg(to_jsonb(a)::text, '\n' ORDER BY id) FROM alert_history a",
            "SELECT count(*)::text FROM ping_results", "SELECT count(*)::text FROM ping_rollup_1h",
            "SELECT count(*)::text FROM legacy_import_map",
        ] {
            lines += try await db.strings(sql)
        }
        return lines
    }
}
