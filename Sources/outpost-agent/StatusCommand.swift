import ArgumentParser
import Foundation
import OutpostAgent
import OutpostPKI

/// `outpost-agent status`: what the agent's state directory says, readable while it runs.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this agent's identity, certificate renewal, cached configuration and spool backlog.")

    @OptionGroup var flags: AgentFlags

    func run() throws {
        let settings = try flags.settings()
        let state = AgentStateDirectory(path: settings.stateDirectory)
        let credentials: AgentCredentials
        do {
            credentials = try state.loadCredentials()
        } catch {
            throw ValidationError(
                "state directory \(state.path): not enrolled (\(error)); run `outpost-agent enrol` first")
        }
        let schedule = credentials.renewalSchedule
        let certificateState =
            credentials.isExpired()
            ? "EXPIRED: enrol again with a new token" : credentials.needsRenewal() ? "renewal due" : "valid"
        let cache = try ConfigurationCache(stateDirectory: settings.stateDirectory, agentKey: credentials.privateKey)
        let configured = try cache.storedConfiguration()?.devices.count ?? 0
        let backlog = try SpoolBacklog.read(directory: settings.stateDirectory + "/spool")
        let format = Date.ISO8601FormatStyle()
        print(
            """
            agent         \(credentials.agentID)
            branch        \(AgentIdentity.branch(of: credentials.certificate) ?? "?")
            certificate   serial \(credentials.certificate.serialNumber.hexString)
                          expires \(credentials.certificate.notValidAfter.formatted(format)) (\(certificateState))
                          renewal from \(schedule.renewalThreshold.formatted(format))
            configuration \(cache.version.map { "version \($0), \(configured) devices" } ?? "none yet")
            spool         \(backlog.segments) segments, \(backlog.bytes) bytes on disk
                          created through batch \(backlog.createdThrough), acknowledged through batch \(backlog.acknowledgedThrough)
                          dropped \(backlog.droppedResults) results in \(backlog.droppedBatches) batches
            """)
    }
}
