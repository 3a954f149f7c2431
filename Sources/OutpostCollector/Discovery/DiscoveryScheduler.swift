import Foundation
import Logging
import OutpostCore
import OutpostRules
import OutpostStore
import PostgresNIO

/// Creates the jobs of scheduled rules: once per minute it creates a job for each enabled rule
/// whose cron schedule contains that minute. The job is unique per rule and minute, so several
/// collectors (or a restarted one) create it once.
struct DiscoveryScheduler: Sendable {
    let logger: Logger

    /// Creates the jobs due in the minute containing `now`.
    func createDueJobs(now: Date, on connection: PostgresConnection) async throws {
        let minute = CronSchedule.minuteStart(of: now)
        let jobs = DiscoveryJobStore(logger: logger)
        for rule in try await DiscoveryRuleStore(logger: logger).scheduledRules(on: connection) {
            guard let expression = rule.schedule else { continue }
            let schedule: CronSchedule
            do {
                schedule = try CronSchedule(expression)
            } catch {
                logger.error(
                    "discovery rule has an invalid schedule; not scheduled",
                    metadata: ["rule": "\(rule.name)", "error": "\(error)"])
                continue
            }
            guard schedule.matches(minute) else { continue }
            if let job = try await jobs.createJob(
                rule: rule.id, triggeredBy: "schedule", scheduledFor: minute, on: connection)
            {
                logger.info(
                    "scheduled discovery job created",
                    metadata: ["rule": "\(rule.name)", "job": "\(job)", "slot": "\(minute)"])
            }
        }
    }
}
