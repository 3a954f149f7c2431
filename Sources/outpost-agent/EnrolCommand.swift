import ArgumentParser
import Foundation
import OutpostAgent
import OutpostPKI

/// `outpost-agent enrol`: one-time enrolment with a token from `outpost-collector token create`.
struct EnrolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrol",
        abstract: "Generate this agent's key and obtain its certificate with a one-time token.")

    @Option(help: "The enrolment token (default: $OUTPOST_ENROLMENT_TOKEN).")
    var token: String?
    @Option(help: "HOST:PORT of the collector's enrolment endpoint (default: the address in the token).")
    var collector: String?
    @Option(
        help:
            "TOML configuration file whose state_dir is used (default: $OUTPOST_AGENT_CONFIG, else /etc/outpost/agent.toml if it exists)."
    )
    var config: String?
    @Option(
        name: .customLong("state-dir"),
        help:
            "Agent state directory where agent.key, agent.crt and ca.crt are stored (default: $OUTPOST_AGENT_STATE_DIR, state_dir, or /var/lib/outpost-agent)."
    )
    var stateDirectory: String?
    @Flag(help: "Replace an existing identity (new key; the old agent stays enrolled until revoked).")
    var force = false

    func run() async throws {
        let environmentToken = ProcessInfo.processInfo.environment["OUTPOST_ENROLMENT_TOKEN"]
        guard let text = token ?? environmentToken, !text.isEmpty else {
            throw ValidationError("give --token TOKEN (or set OUTPOST_ENROLMENT_TOKEN)")
        }
        let parsed: EnrolmentToken
        do {
            parsed = try EnrolmentToken(parsing: text)
        } catch {
            throw ValidationError("--token: \(error)")
        }
        let address = try collector.map { text in
            guard let address = CollectorAddress(parsing: text) else {
                throw ValidationError("--collector: expected HOST:PORT or [IPv6]:PORT, got \(text.debugDescription)")
            }
            return address
        }
        let stateDir = try AgentSettings(config: config, stateDirectory: stateDirectory).stateDirectory
        try FileManager.default.createDirectory(
            atPath: stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let enrolment = AgentEnrolment(
            token: parsed, collector: address, stateDirectory: AgentStateDirectory(path: stateDir))
        print("enrolling with \(enrolment.collectorAddress), expecting CA \(parsed.caFingerprint.short)")
        let result = try await enrolment.run(replacingIdentity: force)
        print(
            """
            enrolled agent \(result.agentID)
              branch:       \(result.branch ?? "?")
              certificate:  serial \(result.serialNumber), expires \(result.notValidAfter.formatted(.iso8601))
              CA:           \(result.caFingerprint)
              stored in:    \(stateDir) (agent.key, agent.crt, ca.crt)
            """)
    }
}
