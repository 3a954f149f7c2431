import Foundation
import OutpostCore

/// Per-hop statistics over one or more traces of a path: the columns of `mtr --report`
/// (sent, loss, last, average, best, worst, standard deviation) and mtr's jitter (mean absolute
/// difference of consecutive RTTs).
public struct PathStatistics: Sendable {
    private struct Hop {
        var sent = 0
        var rtts: [Double] = []
        var responders: [String: Int] = [:]
        var replies: [String: Int] = [:]
        var mpls: [UInt32] = []
    }

    private var hops: [Hop] = []
    /// The lowest hop count of the cycles that reached the target.
    private var reachedAt: Int?
    private var endings: [TraceResult.Ending] = []
    private var probesSent = 0
    private var target: String
    private var probeProtocol: TraceConfiguration.ProbeProtocol
    private var startedAt: Date?

    public init(target: String, probeProtocol: TraceConfiguration.ProbeProtocol) {
        self.target = target
        self.probeProtocol = probeProtocol
    }

    /// Cycles added so far.
    public var cycles: Int { endings.count }

    /// The hop count later cycles need (the path's length once known).
    public var knownLength: Int? { reachedAt }

    /// Adds one trace of the path.
    public mutating func add(_ result: TraceResult) {
        startedAt = startedAt ?? result.startedAt
        endings.append(result.ending)
        probesSent += result.probesSent
        if result.ending == .reached { reachedAt = min(reachedAt ?? .max, result.hops.count) }
        for hop in result.hops {
            while hops.count < hop.number { hops.append(Hop()) }
            var entry = hops[hop.number - 1]
            for probe in hop.probes {
                entry.sent += 1
                guard let responder = probe.responder, let rtt = probe.rttMilliseconds, let reply = probe.reply else {
                    continue
                }
                entry.rtts.append(rtt)
                entry.responders[responder, default: 0] += 1
                entry.replies[Self.name(of: reply), default: 0] += 1
                if entry.mpls.isEmpty { entry.mpls = probe.mplsLabels.map(\.label) }
            }
            hops[hop.number - 1] = entry
        }
    }

    /// The wire name of a reply kind.
    public static func name(of reply: TraceReplyKind) -> String {
        switch reply {
        case .timeExceeded: "time-exceeded"
        case .unreachable(let code): "unreachable-\(code)"
        case .echoReply: "echo-reply"
        case .tcpSynAck: "tcp-syn-ack"
        case .tcpReset: "tcp-reset"
        }
    }

    /// The report: hops up to the target once reached (probes beyond it, sent while a cycle's
    /// target probe was lost, are dropped), every RTT kept when `keepRTTs`.
    public func report(keepRTTs: Bool, hostnames: [String: String] = [:]) -> DiagnosticReport {
        let count = min(hops.count, reachedAt ?? .max)
        let ending =
            reachedAt != nil ? TraceResult.Ending.reached : (endings.last ?? .cancelled)
        let reportHops = hops.prefix(count).enumerated().map { index, hop in
            let responder = Self.mostCommon(hop.responders)
            let rtts = hop.rtts
            let average = rtts.isEmpty ? nil : rtts.reduce(0, +) / Double(rtts.count)
            let deviation = average.map { mean in
                rtts.count < 2
                    ? 0 : (rtts.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rtts.count - 1)).squareRoot()
            }
            let jitter =
                rtts.count < 2
                ? (rtts.isEmpty ? nil : 0)
                : zip(rtts, rtts.dropFirst()).reduce(0) { $0 + abs($1.1 - $1.0) }
                    / Double(rtts.count - 1)
            return DiagnosticReport.Hop(
                number: index + 1, responder: responder, hostname: responder.flatMap { hostnames[$0] }, sent: hop.sent,
                received: rtts.count, rttsMilliseconds: keepRTTs ? rtts : [], lastMilliseconds: rtts.last,
                averageMilliseconds: average, bestMilliseconds: rtts.min(), worstMilliseconds: rtts.max(),
                standardDeviationMilliseconds: deviation, jitterMilliseconds: jitter,
                reply: Self.mostCommon(hop.replies), mplsLabels: hop.mpls)
        }
        return DiagnosticReport(
            target: target, probeProtocol: probeProtocol.rawValue, startedAt: startedAt ?? Date(),
            ending: ending.rawValue, cycles: max(1, cycles), probesSent: probesSent, hops: reportHops)
    }

    private static func mostCommon(_ counts: [String: Int]) -> String? {
        counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}
