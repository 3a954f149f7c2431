import Foundation
import Logging
import ServiceLifecycle

/// Bounds how long the collector takes to stop after SIGTERM/SIGINT.
///
/// Listed last in the service group, so its graceful shutdown is triggered first: it then
/// starts a timer on a thread of its own and returns. Services that have not stopped when the
/// timer fires (a database call that never answers, say) do not keep the process: it exits.
/// Nothing acknowledged is lost by that: an agent's batch is acknowledged only after its
/// commit, and PostgreSQL rolls back what the dropped connections left open.
struct ShutdownDeadline: Service {
    /// From the shutdown signal to the forced exit.
    let limit: Duration
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return  // cancelled: the group is ending anyway
        }
        let logger = self.logger
        let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
        let timer = Thread {
            Thread.sleep(forTimeInterval: seconds)
            logger.error("shutdown did not finish within \(seconds) s; exiting without waiting further")
            exit(1)
        }
        timer.start()
    }
}
