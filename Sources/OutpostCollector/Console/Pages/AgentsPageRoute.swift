import Foundation
import Logging
import OutpostConsole
import OutpostStore

/// `/agents`: the agents of the operator's regions with when they were last heard from, their
/// version, certificate expiry, acknowledged configuration, spool and the health summary of
/// their heartbeats, marked when in trouble. Read only.
struct AgentsPageRoute: Sendable {
    let logger: Logger

    func register(on site: ConsoleSite) {
        let store = StatusStore(logger: logger)
        site.page("/agents") { _, _, viewer in
            let (agents, branches) = try await viewer.run { connection in
                (try await store.agents(on: connection), try await store.branches(on: connection))
            }
            let regionOf = Dictionary(branches.map { ($0.name, $0.region) }, uniquingKeysWith: { first, _ in first })
            let now = Date()
            let page = AgentsPage(
                frame: viewer.frame(title: "Agents", section: "agents"),
                agents: agents.filter { viewer.reaches(regionOf[$0.branch] ?? nil) }.map { agent in
                    AgentsPage.AgentLine(
                        id: agent.id, name: agent.name, branch: agent.branch, status: agent.status,
                        online: agent.lastSeen.map {
                            now.timeIntervalSince($0) < OverviewPageRoute.agentOnlineSeconds
                        } ?? false,
                        lastSeen: agent.lastSeen.map(viewer.clock.dateTime),
                        lastSeenAge: agent.lastSeen.map { OperatorClock.age(of: $0, now: now) },
                        lastAddress: agent.lastAddress, version: agent.version,
                        certificateExpiry: viewer.clock.dateTime(agent.certificateNotAfter),
                        certificateDaysLeft: Self.daysLeft(until: agent.certificateNotAfter, now: now),
                        configVersion: agent.configVersionAcknowledged, spoolBacklog: agent.spoolBacklogBatches,
                        droppedResults: agent.droppedResultsTotal,
                        health: Self.health(
                            agent.health, active: agent.status == "active", now: now, clock: viewer.clock))
                })
            return HTMLResponse.page(page)
        }
    }

    /// The health column's view of `status` (`nil`: the agent never sent a summary).
    static func health(_ status: AgentHealthStatus?, active: Bool, now: Date, clock: OperatorClock) -> AgentHealthLine {
        let figures = status.map { status in
            let report = status.report
            return AgentHealthLine.Figures(
                residentBytes: report.residentBytes, anonymousBytes: report.anonymousBytes,
                spoolBytes: report.spoolBytes, spoolPendingBatches: report.spoolPendingBatches,
                spoolDroppedBatches: report.spoolDroppedBatches, roundsOverrun: report.roundsOverrun,
                icmpDemandPerSecond: report.icmpDemandPerSecond, icmpCeilingPerSecond: report.icmpCeilingPerSecond)
        }
        return AgentHealthLine(
            figures: figures, reportedAt: status.map { clock.dateTime($0.receivedAt) },
            reportedAge: status.map { OperatorClock.age(of: $0.receivedAt, now: now) },
            age: status.map { now.timeIntervalSince($0.receivedAt) }, isActive: active)
    }

    /// Whole days from `now` until `date`, rounded down (negative once it passed).
    static func daysLeft(until date: Date, now: Date) -> Int {
        Int((date.timeIntervalSince(now) / 86_400).rounded(.down))
    }
}
