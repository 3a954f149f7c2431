import Foundation
import OutpostAgent
import OutpostSettings
import OutpostTestSupport
import Testing

@Suite("Agent settings and agent/agent.toml.example")
struct AgentSettingsTests {
    static let examplePath = Harness.repositoryFile("agent/agent.toml.example")

    @Test func theShippedExampleIsValidAndDocumentsEveryOption() throws {
        let settings = try AgentSettings(config: Self.examplePath, stateDirectory: nil, environment: [:])
        #expect(settings.stateDirectory == "/var/lib/outpost-agent")
        #expect(
            settings.uplink?.collectors.map(\.description) == [
                "collector-1.bank.example:8443", "collector-2.bank.example:8443",
            ])
        #expect(settings.spool.maxBytes == 4 << 30)
        #expect(settings.spool.maxAge == .seconds(7 * 86_400))
        #expect(settings.uplink?.window == 32)
        #expect(settings.uplink?.bytesPerSecond == 1 << 20)
        let text = try String(contentsOfFile: Self.examplePath, encoding: .utf8)
        for key in AgentSettings.Keys.all {
            #expect(text.contains(key.name.split(separator: ".").last!), "\(key.name) is not documented")
            #expect(text.contains(key.environmentVariable), "\(key.environmentVariable) is not documented")
        }
    }

    @Test func environmentAndFlagsOverrideTheFile() throws {
        let settings = try AgentSettings(
            config: Self.examplePath, stateDirectory: "/tmp/flag-state", collectors: [],
            serverName: "collector.internal",
            environment: [
                "OUTPOST_COLLECTORS": "10.0.0.1:9443", "OUTPOST_AGENT_SPOOL_SYNC": "250ms",
                "OUTPOST_AGENT_REPLAY_RATE": "unlimited",
            ])
        #expect(settings.stateDirectory == "/tmp/flag-state")
        #expect(settings.uplink?.collectors.count == 1)
        #expect(settings.uplink?.collectors.first?.serverName == "collector.internal")
        #expect(settings.spool.syncPolicy == .groupCommit(interval: .milliseconds(250)))
        #expect(settings.uplink?.bytesPerSecond == nil)
    }

    @Test(arguments: [
        ("OUTPOST_AGENT_UPLINK_WINDOW", "0", "uplink.window ($OUTPOST_AGENT_UPLINK_WINDOW)"),
        ("OUTPOST_COLLECTORS", "no-port", "collectors ($OUTPOST_COLLECTORS)"),
        ("OUTPOST_AGENT_LOG_LEVEL", "loud", "log_level ($OUTPOST_AGENT_LOG_LEVEL)"),
        ("OUTPOST_AGENT_SPOOL_SYNC", "sometimes", "spool.sync ($OUTPOST_AGENT_SPOOL_SYNC)"),
    ])
    func garbageIsRefusedNamingTheOption(variable: String, value: String, prefix: String) throws {
        let error = #expect(throws: (any Error).self, "\(variable)=\(value) accepted") {
            try AgentSettings(config: Self.examplePath, stateDirectory: nil, environment: [variable: value])
        }
        let message = error.map { "\($0)".replacingOccurrences(of: "(from ", with: "(") }
        #expect(message?.hasPrefix(prefix) == true, "\(String(describing: error))")
    }

    @Test func theICMPCeilingComesFromFlagOverEnvironmentOverFile() throws {
        let shipped = try AgentSettings(config: Self.examplePath, stateDirectory: nil, environment: [:])
        #expect(shipped.icmpMaxPacketsPerSecond == PingRatePlan.defaultCeilingPacketsPerSecond)
        let fromEnvironment = try AgentSettings(
            config: Self.examplePath, stateDirectory: nil, environment: ["OUTPOST_AGENT_ICMP_MAX_PPS": "1500"])
        #expect(fromEnvironment.icmpMaxPacketsPerSecond == 1_500)
        let fromFlag = try AgentSettings(
            config: Self.examplePath, stateDirectory: nil, icmpMaxPacketsPerSecond: "40000",
            environment: ["OUTPOST_AGENT_ICMP_MAX_PPS": "1500"])
        #expect(fromFlag.icmpMaxPacketsPerSecond == 40_000)
    }

    @Test(arguments: ["0", "-5", "9", "1000001", "99999999999999999999", "fast", "1e4", "2000.5", " 2000"])
    func hostileICMPCeilingsAreRefusedNamingTheOption(value: String) throws {
        let error = #expect(throws: SettingsError.self, "--icmp-max-pps \(value.debugDescription) accepted") {
            try AgentSettings(
                config: Self.examplePath, stateDirectory: nil, icmpMaxPacketsPerSecond: value, environment: [:])
        }
        #expect(error.map { "\($0)" }?.hasPrefix("icmp_max_packets_per_second") == true, "\(String(describing: error))")
        #expect(
            throws: SettingsError.self,
            "$OUTPOST_AGENT_ICMP_MAX_PPS=\(value.debugDescription) accepted"
        ) {
            try AgentSettings(
                config: Self.examplePath, stateDirectory: nil, environment: ["OUTPOST_AGENT_ICMP_MAX_PPS": value])
        }
    }

    @Test func misspelledKeyInTheFileIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/agent.toml"
            try "colectors = [\"a:1\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: SettingsError.self) {
                try AgentSettings(config: path, stateDirectory: nil, environment: [:])
            }
        }
    }
}
