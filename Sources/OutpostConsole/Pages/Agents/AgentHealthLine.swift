import Foundation

/// An agent's latest health summary on the agents page (docs/architecture.md, "Agent health"),
/// and why the agent is in trouble, if it is: its pings cannot fit the send-rate ceiling, its
/// spool dropped batches, its backlog is long, rounds overran, or no summary arrived lately.
public struct AgentHealthLine: Sendable {
    /// A summary older than this (or none) marks an active agent as in trouble.
    public static let staleSeconds: TimeInterval = 120
    /// A spool backlog of this many batches or more marks an agent as in trouble.
    public static let backlogWarningBatches: Int64 = 100

    /// The figures of a summary, as stored.
    public struct Figures: Sendable {
        public let residentBytes: Int64
        public let anonymousBytes: Int64
        public let spoolBytes: Int64
        public let spoolPendingBatches: Int64
        public let spoolDroppedBatches: Int64
        public let roundsOverrun: Int64
        public let icmpDemandPerSecond: Int64
        public let icmpCeilingPerSecond: Int64

        /// Creates the figures.
        public init(
            residentBytes: Int64, anonymousBytes: Int64, spoolBytes: Int64, spoolPendingBatches: Int64,
            spoolDroppedBatches: Int64, roundsOverrun: Int64, icmpDemandPerSecond: Int64, icmpCeilingPerSecond: Int64
        ) {
            self.residentBytes = residentBytes
            self.anonymousBytes = anonymousBytes
            self.spoolBytes = spoolBytes
            self.spoolPendingBatches = spoolPendingBatches
            self.spoolDroppedBatches = spoolDroppedBatches
            self.roundsOverrun = roundsOverrun
            self.icmpDemandPerSecond = icmpDemandPerSecond
            self.icmpCeilingPerSecond = icmpCeilingPerSecond
        }
    }

    /// Whether a summary was ever received.
    public let hasReport: Bool
    /// When the latest summary arrived, in the operator's zone, and how long ago.
    public let reportedAt: String?
    public let reportedAge: String?
    /// `41.6 MiB`; `—` when unknown.
    public let memory: String
    /// `anon 20.0 MiB`, when known.
    public let anonymousMemory: String?
    /// `3.0 MiB on disk`, when reported.
    public let spoolOnDisk: String?
    public let droppedBatches: Int64
    public let roundsOverrun: Int64
    /// `5000 of 2000 packets/s`, when the agent knows its load.
    public let icmpLoad: String?
    public let cannotFit: Bool
    /// Whether anything marks the agent as in trouble, and what (`·`-separated, for people).
    public let trouble: Bool
    public let troubleReasons: String

    /// - Parameters:
    ///   - figures: the latest summary's figures, `nil` when the agent never sent one.
    ///   - age: seconds since the latest summary arrived.
    ///   - isActive: revoked agents are never in trouble: nobody expects them to report.
    public init(figures: Figures?, reportedAt: String?, reportedAge: String?, age: TimeInterval?, isActive: Bool) {
        hasReport = figures != nil
        self.reportedAt = reportedAt
        self.reportedAge = reportedAge
        var reasons: [String] = []
        if let figures {
            memory = figures.residentBytes > 0 ? Self.mebibytes(figures.residentBytes) : "—"
            anonymousMemory = figures.anonymousBytes > 0 ? "anon " + Self.mebibytes(figures.anonymousBytes) : nil
            spoolOnDisk = Self.mebibytes(figures.spoolBytes) + " on disk"
            droppedBatches = figures.spoolDroppedBatches
            roundsOverrun = figures.roundsOverrun
            icmpLoad =
                figures.icmpDemandPerSecond > 0 || figures.icmpCeilingPerSecond > 0
                ? "\(figures.icmpDemandPerSecond) of \(figures.icmpCeilingPerSecond) packets/s" : nil
            cannotFit = figures.icmpCeilingPerSecond > 0 && figures.icmpDemandPerSecond > figures.icmpCeilingPerSecond
            if cannotFit { reasons.append("pings cannot fit the send-rate ceiling") }
            if figures.spoolDroppedBatches > 0 { reasons.append("\(figures.spoolDroppedBatches) batches dropped") }
            if figures.spoolPendingBatches >= Self.backlogWarningBatches {
                reasons.append("backlog of \(figures.spoolPendingBatches) batches")
            }
            if figures.roundsOverrun > 0 { reasons.append("\(figures.roundsOverrun) rounds overrun") }
            if let age, age > Self.staleSeconds { reasons.append("no health report for \(reportedAge ?? "long")") }
        } else {
            (memory, anonymousMemory, spoolOnDisk, icmpLoad) = ("—", nil, nil, nil)
            (droppedBatches, roundsOverrun, cannotFit) = (0, 0, false)
            reasons.append("no health report")
        }
        if !isActive { reasons = [] }
        trouble = !reasons.isEmpty
        troubleReasons = reasons.joined(separator: " · ")
    }

    /// `bytes` in MiB with one decimal.
    static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
