import Foundation
import OutpostPKI
import OutpostTestSupport
import PostgresNIO
import Testing

/// `outpost-collector discovery …` from the built executable against a real database.
@Suite("outpost-collector discovery commands", .tags(.postgres), .needsPostgres)
struct DiscoveryCommandLineTests {
    @Test("credential add seals the secret, rule add validates, run/status/cancel follow the job; no secret is printed")
    func commands() async throws {
        try await TestDatabase.withMigrated { db, database in
            let directory = NSTemporaryDirectory() + "outpost-discovery-cli-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let keyFile = directory + "/master.key"
            _ = try MasterKey.create(at: keyFile)
            let environment = ["OUTPOST_DATABASE_URL": database.url.description, "OUTPOST_MASTER_KEY_FILE": keyFile]
            let run = { (arguments: [String]) async throws -> String in
                try await CollectorCommandLineTests.collector(["discovery"] + arguments, environment: environment)
            }
            let fails = { (arguments: [String]) async throws -> String in
                try await CollectorCommandLineTests.fails(["discovery"] + arguments, environment: environment)
            }
            try await db.query(
                "INSERT INTO branches (name, display_name) VALUES ('branch-7', 'Branch 7')", logger: TestDatabase.logger
            )

            let added = try await run([
                "credential", "add", "lan-ro", "--version", "v2c", "--community", "s3cret-community",
            ])
            #expect(!added.contains("s3cret-community"))
            let credential = try #require(added.split(separator: " ").first.map(String.init))
            #expect(
                try await db.integer(
                    "SELECT count(*) FROM discovery_credentials WHERE community_encrypted NOT LIKE '%s3cret%'") == 1)
            #expect(
                try await db.strings(
                    "SELECT entity_id || ' ' || (changes::text LIKE '%s3cret%')::text FROM audit_log WHERE entity = 'discovery_credential'"
                ) == ["\(credential) false"])

            #expect(
                try await run([
                    "rule", "add", "lan-7", "--range", "10.7.0.0/24", "--range", "10.7.1.0/28", "--exclude", "10.7.0.1",
                    "--branch", "branch-7", "--schedule", "0 3 * * *", "--credential", credential, "--import",
                ]).contains("added"))
            #expect(
                try await fails(["rule", "add", "x", "--range", "10.7.300.0/24", "--branch", "branch-7", "--ping-only"])
                    .contains("\"10.7.300.0/24\" is not an IP address or prefix"))
            #expect(
                try await fails([
                    "rule", "add", "x", "--range", "10.7.3.0/24", "--branch", "branch-7", "--ping-only", "--schedule",
                    "61 * * * *",
                ])
                .contains("minute: 61 outside 0-59"))
            #expect(
                try await fails(["rule", "add", "x", "--range", "10.7.3.0/24", "--branch", "nowhere", "--ping-only"])
                    .contains("no branch named"))
            #expect(
                try await fails(["rule", "add", "x", "--range", "10.7.3.0/24", "--branch", "branch-7"]).contains(
                    "candidate credential"))
            let listed = try await run(["rule", "list"])
            #expect(
                listed.contains("lan-7") && listed.contains("10.7.0.0/24 10.7.1.0/28 -10.7.0.1")
                    && listed.contains("0 3 * * *"))

            let job = try await run(["run", "lan-7"]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(UUID(uuidString: job) != nil)
            #expect(try await run(["status", job]).hasPrefix("pending 0%"))
            try await db.query(
                PostgresQuery(
                    unsafeSQL: """
                        UPDATE discovery_jobs SET status = 'running', total_ips = 269, scanned_ips = 100, discovered_devices = 3 WHERE id = '\(job)'
                        """), logger: TestDatabase.logger)
            #expect(try await run(["status", job]) == "running 37% 100/269 scanned, 3 found, 0 imported, 0 failed\n")
            // On a terminal (script(1) gives it one): a bar redrawn in place.
            let command = "\(try BuiltProduct.collector) discovery status \(job)"
            let onTerminal = try await Command.output(
                "/usr/bin/env",
                environment.map { "\($0.key)=\($0.value)" } + ["/usr/bin/script", "-qec", command, "/dev/null"])
            #expect(
                onTerminal.contains("\r\u{1B}[2K[###########...................] 37% running 100/269 scanned"),
                "\(onTerminal.debugDescription)")
            #expect(try await run(["cancel", job]).contains("cancellation requested"))
            #expect(try await db.integer("SELECT count(*) FROM discovery_jobs WHERE cancel_requested") == 1)
            #expect(try await fails(["run", "nosuch"]).contains("no discovery rule with id or name \"nosuch\""))
            #expect(try await fails(["status", "not-a-job"]).contains("is not a job id"))
        }
    }
}
