import OutpostTestSupport
import PostgresNIO
import Testing

@Suite("Schema as built by the migrations", .tags(.postgres), .needsPostgres)
struct SchemaTests {
    @Test("every table of the plan and of docs/architecture.md exists with its columns, types and nullability")
    func columns() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let rows = try await db.strings(
                """
                SELECT c.relname || '|' || string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN '!' ELSE '' END, ', ' ORDER BY a.attnum)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                GROUP BY c.relname
                """)
            var actual: [String: String] = [:]
            for row in rows {
                let parts = row.split(separator: "|", maxSplits: 1).map(String.init)
                actual[parts[0]] = parts[1]
            }
            #expect(Set(actual.keys) == Set(ExpectedSchema.columns.keys))
            for (table, columns) in ExpectedSchema.columns.sorted(by: { $0.key < $1.key }) {
                #expect(actual[table] == columns, "columns of \(table)")
            }
        }
    }

    @Test("the tables the issue names are all present")
    func namedTables() {
        let named = [
            "organizations", "system_config", "setup_wizard_state", "users", "branches", "monitored_hostgroups",
            "georgian_regions", "georgian_cities", "standalone_devices", "ping_results", "performance_baselines",
            "metric_baselines", "monitoring_profiles", "monitoring_templates", "monitoring_items", "snmp_credentials",
            "alert_rules", "alert_history", "discovery_rules", "discovery_results", "discovery_jobs",
            "discovery_credentials", "network_topology", "traceroute_results", "mtr_results", "agents",
            "enrolment_tokens", "revoked_certificates", "agent_sequences", "item_history", "device_interfaces",
            "schema_migrations",
        ]
        #expect(Set(named).isSubset(of: Set(ExpectedSchema.columns.keys)))
    }

    @Test("foreign keys and their ON DELETE actions")
    func foreignKeys() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let actual = try await db.strings(
                """
                SELECT conrelid::regclass::text || '.' ||
                       (SELECT string_agg(attname, ',') FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY(conkey))
                       || ' -> ' || confrelid::regclass::text || ' ' ||
                       CASE confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                                        WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END
                FROM pg_constraint WHERE contype = 'f' AND conparentid = 0 ORDER BY 1
                """)
            #expect(actual == ExpectedSchema.foreignKeys)
        }
    }

    @Test("actor columns are INTEGER references to users (users.id stays INTEGER)")
    func actorColumns() {
        for actor in [
            "alert_history.acknowledged_by", "monitoring_templates.created_by",
            "discovery_jobs.triggered_by_user", "discovery_credentials.created_by", "alert_history.resolved_by",
            "maintenance_windows.created_by", "audit_log.actor_user_id",
        ] {
            #expect(ExpectedSchema.foreignKeys.contains("\(actor) -> users SET NULL"), "\(actor)")
            let (table, column) = (String(actor.split(separator: ".")[0]), String(actor.split(separator: ".")[1]))
            #expect(ExpectedSchema.columns[table]?.contains("\(column) integer") == true, "\(actor) is not INTEGER")
        }
    }

    @Test("indexes, including (device_ip, timestamp DESC) on ping results")
    func indexes() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let actual = try await db.strings(
                """
                SELECT indexname || ': ' || replace(regexp_replace(indexdef, ' ON (ONLY )?public\\.', ' ON '), 'public.', '')
                FROM pg_indexes i JOIN pg_class c ON c.relname = i.tablename
                WHERE schemaname = 'public' AND NOT c.relispartition ORDER BY indexname
                """)
            #expect(actual == ExpectedSchema.indexes)
            #expect(
                actual.contains {
                    $0.hasPrefix("idx_ping_results_device_ip_ts:") && $0.hasSuffix("(device_ip, \"timestamp\" DESC)")
                })
        }
    }

    @Test("history tables are range partitioned on time (retention drops whole days or months)")
    func partitioned() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let partitioned = try await db.strings(
                """
                SELECT c.relname || ':' || pg_get_partkeydef(c.oid) FROM pg_partitioned_table p
                JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1
                """)
            #expect(
                partitioned == [
                    "item_history:RANGE (\"timestamp\")", "item_rollup_1h:RANGE (bucket)",
                    "item_rollup_1m:RANGE (bucket)", "mtr_results:RANGE (\"timestamp\")",
                    "ping_results:RANGE (\"timestamp\")", "ping_rollup_1h:RANGE (bucket)",
                    "ping_rollup_1m:RANGE (bucket)", "traceroute_results:RANGE (\"timestamp\")",
                ])
        }
    }

    @Test("functions and triggers (device count, configuration change notifications)")
    func functionsAndTriggers() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let functions = try await db.strings(
                """
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' ORDER BY 1
                """)
            #expect(functions == ExpectedSchema.functions)
            let triggers = try await db.strings(
                """
                SELECT c.relname || '.' || t.tgname || ': ' || p.proname
                FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1
                """)
            #expect(triggers == ExpectedSchema.triggers)
        }
    }

    @Test("the device configuration trigger watches every column but the state that ingest and alerts write")
    func deviceConfigTriggerColumns() async throws {
        try await TestDatabase.withMigrated { db, _ in
            let definition = try await db.strings(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'trg_standalone_devices_config_update'")
            let watched = Set(
                (definition.first ?? "").components(separatedBy: "old.").dropFirst().map { part in
                    String(part.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                })
            let columns = Set(
                try await db.strings(
                    """
                    SELECT attname::text FROM pg_attribute
                    WHERE attrelid = 'standalone_devices'::regclass AND attnum > 0 AND NOT attisdropped
                    """))
            #expect(
                watched
                    == columns.subtracting(["last_seen", "down_since", "last_probe_at", "updated_at", "is_flapping"]))
            #expect(
                try await db.strings(
                    "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'standalone_devices'") == [
                        "fillfactor=50"
                    ])
        }
    }
}
