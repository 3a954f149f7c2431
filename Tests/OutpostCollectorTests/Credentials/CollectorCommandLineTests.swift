import Foundation
import OutpostPKI
import OutpostTestSupport
import PostgresNIO
import Testing

/// The `outpost-collector` executable (built next to this test bundle) against a real database.
@Suite("outpost-collector templates and credentials commands", .tags(.postgres), .needsPostgres)
struct CollectorCommandLineTests {
    /// Runs the collector with `environment` (and nothing else of this process's OUTPOST_ variables).
    static func collector(_ arguments: [String], environment: [String: String]) async throws -> String {
        let variables =
            ["-u", "OUTPOST_MASTER_KEY", "-u", "OUTPOST_MASTER_KEY_FILE", "-u", "OUTPOST_COLLECTOR_CONFIG"]
            + environment.map { "\($0.key)=\($0.value)" }.sorted()
        return try await Command.output("/usr/bin/env", variables + [try BuiltProduct.collector] + arguments)
    }

    static func fails(_ arguments: [String], environment: [String: String]) async throws -> String {
        do {
            let output = try await collector(arguments, environment: environment)
            Issue.record("\(arguments) succeeded: \(output)")
            return output
        } catch let error as TestEnvironmentError {
            return error.description
        }
    }

    @Test(
        "import is idempotent, apply honours intervals, credentials are stored sealed, run refuses a missing or wrong key; no secret is printed"
    )
    func endToEnd() async throws {
        try await TestDatabase.withMigrated { db, database in
            let directory = NSTemporaryDirectory() + "outpost-cli-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let base = ["OUTPOST_DATABASE_URL": database.url.description]
            try await db.query(
                """
                INSERT INTO standalone_devices (name, ip, vendor, device_type) VALUES
                    ('edge-1', '10.0.0.1', 'Cisco', 'router'), ('edge-2', '10.0.0.2', 'cisco systems', 'router'), ('srv-1', '10.0.0.3', 'Linux', 'server')
                """, logger: TestDatabase.logger)

            #expect(
                try await Self.collector(["templates", "import", "--builtin"], environment: base).components(
                    separatedBy: "created:"
                ).count == 8)
            #expect(
                try await Self.collector(["templates", "import", "--builtin"], environment: base).components(
                    separatedBy: "unchanged:"
                ).count == 8)
            #expect(
                try await Self.collector(["templates", "apply", "Cisco IOS/IOS-XE", "--match"], environment: base)
                    .contains("2 device(s); items created 42, updated 0, unchanged 0, removed 0"))
            #expect(
                try await Self.collector(["templates", "apply", "Cisco IOS/IOS-XE", "--match"], environment: base)
                    .contains("2 device(s); items created 0, updated 0, unchanged 42, removed 0"))
            #expect(
                try await Self.collector(
                    ["templates", "apply", "Linux (net-snmp)", "--device", "srv-1"], environment: base
                ).contains("items created 15"))
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM monitoring_items WHERE name = 'mem_available' AND interval = 60 AND oid = '1.3.6.1.4.1.2021.4.6.0'"
                ) == 1)
            #expect(try await db.integer("SELECT count(*) FROM monitoring_items") == 42 + 15)
            #expect(try await Self.collector(["templates", "list"], environment: base).contains("Cisco IOS/IOS-XE"))

            // Credentials: never without a key; stored sealed; nothing secret printed.
            let keyPath = directory + "/master.key"
            #expect(
                try await Self.fails(
                    [
                        "credentials", "set", "--device", "edge-1", "--version", "v2c", "--community",
                        "cli-community-5Rt",
                    ], environment: base
                )
                .contains("no master key"))
            #expect(
                try await Self.collector(["credentials", "master-key", "create", keyPath], environment: base).contains(
                    "created master key"))
            let withKey = base.merging(["OUTPOST_MASTER_KEY_FILE": keyPath]) { $1 }
            let output =
                try await Self.collector(
                    [
                        "credentials", "set", "--device", "edge-1", "--version", "v2c", "--community",
                        "cli-community-5Rt",
                    ], environment: withKey)
                + Self.collector(
                    [
                        "credentials", "set", "--device", "srv-1", "--version", "v3", "--user", "mon",
                        "--auth-protocol", "SHA-256",
                        "--auth-key", "cli-auth-pass-1", "--priv-protocol", "AES", "--priv-key", "cli-priv-pass-2",
                    ], environment: withKey)
            #expect(
                output.contains("v2c community: <redacted>")
                    && output.contains("v3 user: mon, auth: SHA-256 <redacted>, priv: AES <redacted>"))
            for secret in ["cli-community-5Rt", "cli-auth-pass-1", "cli-priv-pass-2"] {
                #expect(!output.contains(secret))
                #expect(
                    try await db.integer(
                        "SELECT count(*) FROM snmp_credentials WHERE concat(community_encrypted, auth_key_encrypted, priv_key_encrypted) LIKE '%\(secret)%'"
                    ) == 0)
            }
            #expect(
                try await db.strings("SELECT security_level FROM snmp_credentials WHERE version = 'v3'") == ["authPriv"]
            )
            let key = try MasterKey.load(path: keyPath)
            #expect(
                try await db.strings("SELECT community_encrypted FROM snmp_credentials WHERE version = 'v2c'")
                    .allSatisfy { (try? MasterKey.fingerprintHex(ofSealed: $0)) == key.fingerprintHex })

            // run: refuses without a key, and with a key that does not open the stored credentials.
            let ca = directory + "/ca"
            _ = try await Self.collector(["ca", "init", "--dir", ca], environment: base)
            _ = try await Self.collector(["ca", "issue-server", "--dir", ca, "--dns", "localhost"], environment: base)
            let run = ["run", "--ca-dir", ca, "--listen", "127.0.0.1:0", "--enrol-listen", "127.0.0.1:0"]
            _ = try MasterKey.create(at: directory + "/other.key")
            #expect(try await Self.fails(run, environment: base).contains("no master key"))
            #expect(
                try await Self.fails(
                    run, environment: base.merging(["OUTPOST_MASTER_KEY_FILE": directory + "/other.key"]) { $1 }
                )
                .contains("but the configured master key is"))

            // rotate-key, then the new key is the one that works.
            _ = try MasterKey.create(at: directory + "/new.key")
            #expect(
                try await Self.collector(
                    ["credentials", "rotate-key", "--old-key-file", keyPath, "--new-key-file", directory + "/new.key"],
                    environment: base
                )
                .contains("re-encrypted 3 value(s)"))
            #expect(
                try await Self.fails(run, environment: base.merging(["OUTPOST_MASTER_KEY_FILE": keyPath]) { $1 })
                    .contains("but the configured master key is"))
        }
    }
}
