import Foundation
import Logging
import OutpostStore
import PostgresNIO

extension AlertEvaluator {
    /// The `trace` action of a rule whose alert `id` just fired: a traceroute of the device by its
    /// branch's agent, linked to the alert (the diagnostics dispatcher sends it), within the
    /// branch's budget shared with the traces of devices going down (docs/architecture.md).
    /// A failure is logged; the alert stands.
    func trace(alert id: UUID, _ context: Context) async {
        do {
            let outcome = try await client.withConnection(timeout: PostgresClient.callTimeout) { [logger] connection in
                try await DiagnosticJobStore(logger: logger).traceForAlert(
                    device: context.device.id, alert: id, limits: traceLimits, on: connection)
            }
            let metadata: Logger.Metadata = [
                "alert": "\(id)", "rule": "\(context.record.name)", "device": "\(context.device.name)",
            ]
            switch outcome {
            case .created(let job), .attached(let job):
                logger.info("alert trace started", metadata: metadata.merging(["job": "\(job)"]) { $1 })
            case .rateLimited:
                logger.warning("alert trace skipped: the branch's traces for this minute are spent", metadata: metadata)
            case .untraceable:
                logger.info("alert trace skipped: the device has no branch agent to trace it", metadata: metadata)
            }
        } catch {
            logger.error(
                "could not start an alert's trace",
                metadata: ["alert": "\(id)", "error": "\(String(reflecting: error))"])
        }
    }
}
