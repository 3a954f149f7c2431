import Logging
import OutpostStore

/// What `/readyz` checks: PostgreSQL answers within the deadline, its schema is exactly the
/// one this collector carries, and ingest is not stalled (batches waiting with no commit for
/// longer than ``IngestPipeline/Configuration/stallBound``).
struct ReadinessProbe: Sendable {
    /// The answer: `{"status": "ready", "detail": …}` or `{"status": "not_ready", "reason": …}`.
    struct Report: Encodable, Sendable {
        let status: String
        let detail: String?
        let reason: String?

        var isReady: Bool { status == "ready" }

        static func ready(_ detail: String) -> Report { Report(status: "ready", detail: detail, reason: nil) }
        static func notReady(_ reason: String) -> Report { Report(status: "not_ready", detail: nil, reason: reason) }
    }

    let database: BoundedDatabaseAccess
    let timeout: Duration
    /// The ingest pipeline whose progress is checked (`nil`: none runs in this process).
    let ingest: IngestPipeline?
    let logger: Logger

    func check() async -> Report {
        if let stall = ingest?.stall {
            return .notReady("ingest stalled: batches waiting \(stall.components.seconds) s without a commit")
        }
        let logger = self.logger
        do {
            let state = try await database.run(timeout: timeout) { connection in
                try await SchemaReadiness(logger: logger).state(on: connection)
            }
            return state.isCurrent ? .ready(state.description) : .notReady(state.description)
        } catch let timedOut as BoundedDatabaseAccess.TimedOut {
            return .notReady("PostgreSQL unreachable: \(timedOut)")
        } catch {
            // postgres-nio hides the cause from `description`
            // (docs/upstream/postgres-nio.md#psqlerror-description); the reflection names it (no
            // secrets: connection errors and server messages, never the configuration).
            let cause = String(reflecting: error)
            logger.warning("readiness check failed", metadata: ["error": "\(cause)"])
            return .notReady("PostgreSQL unreachable: \(cause.prefix(300))")
        }
    }
}
