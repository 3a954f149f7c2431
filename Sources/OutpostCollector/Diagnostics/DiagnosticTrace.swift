import Foundation
import OutpostStore

/// A traceroute or MTR job as the API shows it: status, progress, path and hops.
struct DiagnosticTrace: Encodable, Sendable {
    struct Hop: Encodable, Sendable {
        let hop: Int
        let address: String?
        let hostname: String?
        let sent: Int
        let received: Int
        let lossPercent: Double
        let lastMs: Double?
        let avgMs: Double?
        let bestMs: Double?
        let worstMs: Double?
        let stdevMs: Double?
        let jitterMs: Double?
        let rttsMs: [Double]
        let reply: String?
        let mplsLabels: [Int]

        init(_ hop: DiagnosticHopRecord) {
            self.hop = hop.number
            address = hop.address
            hostname = hop.hostname
            sent = hop.sent
            received = hop.received
            lossPercent = hop.lossPercent
            lastMs = hop.lastMilliseconds
            avgMs = hop.averageMilliseconds
            bestMs = hop.bestMilliseconds
            worstMs = hop.worstMilliseconds
            stdevMs = hop.standardDeviationMilliseconds
            jitterMs = hop.jitterMilliseconds
            rttsMs = hop.rttsMilliseconds
            reply = hop.reply
            mplsLabels = hop.mplsLabels
        }
    }

    let id: UUID
    let deviceId: UUID
    let device: String
    let kind: String
    let `protocol`: String
    let cycles: Int
    /// Whether the hop addresses are resolved to names (each hop's `hostname`).
    let resolve: Bool
    let trigger: String
    let status: String
    let agentId: UUID?
    let alertId: UUID?
    let completedUnits: Int
    let totalUnits: Int?
    let target: String
    let ending: String?
    let pathChanged: Bool?
    let detail: String?
    let createdAt: Date
    let completedAt: Date?
    let hops: [Hop]

    init(_ job: DiagnosticJobRecord, hops: [DiagnosticHopRecord]) {
        id = job.id
        deviceId = job.deviceID
        device = job.deviceName
        kind = job.kind.rawValue
        self.protocol = job.probeProtocol
        cycles = job.cycles
        resolve = job.resolveNames
        trigger = job.trigger.rawValue
        status = job.status.rawValue
        agentId = job.agentID
        alertId = job.alertHistoryID
        completedUnits = job.completedUnits
        totalUnits = job.totalUnits
        target = job.targetIP
        ending = job.ending
        pathChanged = job.pathChanged
        detail = job.detail
        createdAt = job.createdAt
        completedAt = job.completedAt
        self.hops = hops.map(Hop.init)
    }
}
