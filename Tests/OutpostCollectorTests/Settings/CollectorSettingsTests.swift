import Foundation
import OutpostCollector
import OutpostSettings
import Testing

@Suite("Collector settings and collector/collector.toml.example")
struct CollectorSettingsTests {
    /// `collector/collector.toml.example`, found from this source file.
    static let examplePath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("collector/collector.toml.example").path

    @Test func theShippedExampleIsValidAndDocumentsEveryOption() throws {
        let settings = try CollectorSettings(config: Self.examplePath, environment: [:])
        try settings.validate()
        #expect(try settings.databaseURL().description.contains("127.0.0.1:5432/outpost"))
        #expect(try settings.listen() == CollectorSettings.Endpoint(host: "0.0.0.0", port: 8443))
        #expect(try settings.retentionDays() == 7)
        #expect(try settings.rollupRetentionDays() == (90, 730))
        #expect(try settings.certificateLifetime() == 30 * 86_400)
        #expect(try settings.agentConnectionLimits() == (4_096, 64))
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        for key in CollectorSettings.Keys.all {
            #expect(text.contains("\(key.name) = "), "\(key.name) is not in the example")
            #expect(text.contains(key.environmentVariable), "\(key.environmentVariable) is not documented")
        }
    }

    @Test func rollupRetentionFromFlagsAndEnvironment() throws {
        var flags = CollectorSettings.Flags()
        flags.rollupHourRetentionDays = "400"
        let settings = try CollectorSettings(
            config: Self.examplePath, flags: flags, environment: ["OUTPOST_ROLLUP_MINUTE_RETENTION_DAYS": "30"])
        #expect(try settings.rollupRetentionDays() == (30, 400))
        let refused = try CollectorSettings(
            config: Self.examplePath, environment: ["OUTPOST_ROLLUP_HOUR_RETENTION_DAYS": "0"])
        #expect(throws: SettingsError.self) { try refused.rollupRetentionDays() }
    }

    @Test func flagsWinOverEnvironmentOverFile() throws {
        var flags = CollectorSettings.Flags()
        flags.listen = "[::1]:9443"
        let settings = try CollectorSettings(
            config: Self.examplePath, flags: flags,
            environment: [
                "OUTPOST_LISTEN": "127.0.0.1:1", "OUTPOST_RETENTION_DAYS": "30", "OUTPOST_AGENT_CERT_LIFETIME": "12h",
            ])
        #expect(try settings.listen() == CollectorSettings.Endpoint(host: "::1", port: 9443))
        #expect(try settings.retentionDays() == 30)
        #expect(try settings.certificateLifetime() == 12 * 3600)
        #expect(try settings.enrolListen() == CollectorSettings.Endpoint(host: "0.0.0.0", port: 8444))
        let natSite = try CollectorSettings(
            config: Self.examplePath, environment: ["OUTPOST_AGENT_MAX_CONNECTIONS_PER_SOURCE": "500"])
        #expect(try natSite.agentConnectionLimits() == (4_096, 500))
    }

    /// Expects validating the example configuration under each environment of `cases` to fail
    /// with an error whose description starts with the case's prefix.
    static func expectRefused(
        _ cases: [([String: String], String)], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (environment, prefix) in cases {
            do {
                try CollectorSettings(config: examplePath, environment: environment).validate()
                Issue.record("\(environment) accepted", sourceLocation: sourceLocation)
            } catch {
                #expect("\(error)".hasPrefix(prefix), "\(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func garbageIsRefusedNamingTheOption() throws {
        let cases: [([String: String], String)] = [
            (["OUTPOST_RETENTION_DAYS": "0"], "retention_days (from $OUTPOST_RETENTION_DAYS)"),
            (["OUTPOST_LISTEN": "8443"], "listen (from $OUTPOST_LISTEN)"),
            (["OUTPOST_AGENT_CERT_LIFETIME": "1m"], "agent_certificate_lifetime (from $OUTPOST_AGENT_CERT_LIFETIME)"),
            (["OUTPOST_DATABASE_URL": "mysql://x"], "database_url (from $OUTPOST_DATABASE_URL)"),
            (
                ["OUTPOST_AGENT_MAX_CONNECTIONS_PER_SOURCE": "0"],
                "agent_max_connections_per_source (from $OUTPOST_AGENT_MAX_CONNECTIONS_PER_SOURCE)"
            ),
            (
                ["OUTPOST_TOPOLOGY_EDGE_MAX_AGE_SECONDS": "59"],
                "topology_edge_max_age_seconds (from $OUTPOST_TOPOLOGY_EDGE_MAX_AGE_SECONDS)"
            ),
        ]
        Self.expectRefused(cases)
        let path = NSTemporaryDirectory() + "outpost-collector-\(UUID()).toml"
        try "listen = \"0.0.0.0:8443\"\nlisten_port = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SettingsError.self) { try CollectorSettings(config: path, environment: [:]) }
        #expect(throws: SettingsError.self) { try CollectorSettings(config: nil, environment: [:]).databaseURL() }
    }
}
