import Foundation
import NIOCore
import OutpostCore
import OutpostStore
import OutpostTransport
import OutpostWire

extension AgentSession {
    /// Recomputes the snapshot at each signal of `changes` and sends it when its version differs
    /// from the one the agent has, until `changes` ends. A snapshot that cannot be read is
    /// logged and retried at the next signal; the agent keeps its configuration meanwhile.
    ///
    /// The session's branch scope is reloaded after the snapshot is read and before it is
    /// sent: it is then at least as new as the snapshot, so the agent never learns of a device
    /// whose rows its session would refuse.
    func pushConfigurations(
        _ changes: AsyncStream<Void>, branch: UUID, scope: LiveBranchScope, agentHas version: String,
        outbound: NIOAsyncChannelOutboundWriter<Message>
    ) async throws {
        var agentVersion = version
        for await _ in changes {
            let configuration: ConfigSnapshot
            do {
                configuration = try await currentConfiguration(branch: branch)
                try await scope.reload(client: context.client, logger: logger)
            } catch {
                logger.error(
                    "cannot read the branch configuration; the agent keeps its current one",
                    metadata: ["error": "\(String(reflecting: error))"])
                continue
            }
            guard configuration.version != agentVersion else { continue }
            try await outbound.write(.config(configuration))
            agentVersion = configuration.version
            context.metrics.configPushes.increment()
            logger.info("configuration pushed", metadata: ["version": "\(configuration.version)"])
        }
    }
}
