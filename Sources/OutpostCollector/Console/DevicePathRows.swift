import Foundation
import OutpostConsole
import OutpostStore
import PostgresNIO

/// The device page's path section from a finished diagnostic job and its hops.
enum DevicePathRows {
    /// How many of the device's newest jobs are looked at for a finished one.
    static let recentJobs = 5

    /// The newest finished job of `device` with its hops, or `nil` when it has none.
    static func latest(
        of device: UUID, jobs: DiagnosticJobStore, on connection: PostgresConnection
    ) async throws -> (DiagnosticJobRecord, [DiagnosticHopRecord])? {
        let recent = try await jobs.jobs(device: device, limit: recentJobs, on: connection)
        guard let job = recent.first(where: { $0.status == .completed || $0.status == .failed }) else {
            return nil
        }
        return (job, job.status == .completed ? try await jobs.hops(of: job, on: connection) : [])
    }

    static func path(_ job: DiagnosticJobRecord, hops: [DiagnosticHopRecord], clock: OperatorClock) -> DevicePath {
        DevicePath(
            kind: job.kind.rawValue, completed: clock.dateTime(job.completedAt ?? job.createdAt),
            trigger: job.trigger.rawValue,
            ending: job.status == .failed ? "failed: \(job.detail ?? "no reason given")" : job.ending ?? "",
            pathChanged: job.pathChanged ?? false,
            hops: hops.map { hop in
                DevicePath.Hop(
                    number: hop.number, address: hop.address, hostname: hop.hostname,
                    loss: String(format: "%.0f %%", hop.lossPercent),
                    average: milliseconds(hop.averageMilliseconds), best: milliseconds(hop.bestMilliseconds),
                    worst: milliseconds(hop.worstMilliseconds), reply: hop.reply ?? "")
            })
    }

    private static func milliseconds(_ value: Double?) -> String {
        value.map { String(format: "%.1f ms", $0) } ?? "–"
    }
}
