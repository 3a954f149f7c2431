import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/discovery`: the discovery rules and the recent jobs of the operator's regions. "Run now"
/// and "Cancel" call `/api/v1/discovery/rules/{id}/run` and `/api/v1/discovery/jobs/{id}/cancel`
/// (permission `run_jobs`).
struct DiscoveryPageRoute: Sendable {
    /// How many recent jobs the page lists.
    static let jobLimit = 30

    let logger: Logger

    func register(on site: ConsoleSite) {
        let rules = DiscoveryRuleStore(logger: logger)
        let jobs = DiscoveryJobStore(logger: logger)
        site.page("/discovery") { _, _, viewer in
            let scope = viewer.principal.regionScope
            let (ruleList, jobList) = try await viewer.run { connection in
                (
                    try await rules.list(inRegions: scope, on: connection),
                    try await jobs.recentJobs(limit: Self.jobLimit, inRegions: scope, on: connection)
                )
            }
            let clock = viewer.clock
            let page = DiscoveryPage(
                frame: viewer.frame(title: "Discovery", section: "discovery"),
                rules: ruleList.map { rule in
                    .init(
                        id: rule.id.uuidString.lowercased(), name: rule.name, ranges: rule.ranges,
                        exclusions: rule.exclusions, schedule: rule.schedule, enabled: rule.enabled,
                        lastRun: rule.lastRun.map(clock.dateTime))
                },
                jobs: jobList.map { job in
                    .init(
                        id: job.id.uuidString.lowercased(), rule: job.ruleName, state: job.status.rawValue,
                        inProgress: !job.status.isFinished, scanned: job.scannedIPs, total: job.totalIPs,
                        requested: clock.dateTime(job.createdAt), started: job.dispatchedAt.map(clock.dateTime),
                        finished: job.completedAt.map(clock.dateTime), found: job.discoveredDevices,
                        imported: job.importedDevices, error: job.errorMessage, cancelRequested: job.cancelRequested)
                },
                canRun: viewer.may(.runJobs))
            return HTMLResponse.page(page)
        }
    }
}
