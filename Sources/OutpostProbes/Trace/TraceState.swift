import Foundation

/// The progress of one trace on the I/O thread: which probes went out, what answered them,
/// and how far the trace may still go.
struct TraceState {
    /// One probe's fate.
    enum Outcome {
        case notSent
        case inFlight
        case answered(responder: ICMPAddress, rttNanoseconds: UInt64, reply: TraceReplyKind, mpls: [MPLSLabel])
        case silent
    }

    let request: TraceRequest
    let startedAt = Date()
    /// `outcomes[ttl - 1][probe]`.
    var outcomes: [[Outcome]]
    /// The next probe to send.
    var nextTTL = 1
    var nextProbe = 0
    var probesSent = 0
    var outstanding = 0
    /// Hops 1...settledHops have every probe answered or timed out.
    var settledHops = 0
    /// Consecutive silent hops ending at ``settledHops``.
    var silentRun = 0
    /// The lowest TTL answered by the end of the path.
    var endTTL: Int?
    /// The TTL at which ``TraceConfiguration/maxSilentHops`` silent hops in a row ended the trace.
    var silentStopTTL: Int?
    var isCancelled = false
    /// The local IPv4 address towards the target (TCP checksums).
    var ipv4Source: UInt32?

    init(request: TraceRequest) {
        self.request = request
        let configuration = request.configuration
        outcomes = Array(
            repeating: Array(repeating: .notSent, count: configuration.probesPerHop), count: configuration.maxHops)
    }

    private var configuration: TraceConfiguration { request.configuration }

    /// The highest TTL the trace may still probe.
    var lastTTL: Int {
        if isCancelled { return nextTTL - 1 }
        return min(configuration.maxHops, endTTL ?? .max, silentStopTTL ?? .max)
    }

    /// Whether the probe at `nextTTL` may go out now (within the window of parallel hops).
    var canSend: Bool {
        nextTTL <= lastTTL && nextTTL <= settledHops + configuration.parallelHops
    }

    /// Whether nothing is left to send and every hop of the path has its answers: probes still
    /// in flight beyond the end of the path (sent in parallel before it was known) are not
    /// waited for.
    var isComplete: Bool { nextTTL > lastTTL && (outstanding == 0 || settledHops >= lastTTL) }

    /// Marks the probe at `nextTTL`/`nextProbe` sent and moves on.
    mutating func markSent() {
        outcomes[nextTTL - 1][nextProbe] = .inFlight
        outstanding += 1
        probesSent += 1
        advance()
    }

    /// Marks the probe at `nextTTL`/`nextProbe` as one the kernel refused (it counts as silent).
    mutating func markRefused() {
        outcomes[nextTTL - 1][nextProbe] = .silent
        probesSent += 1
        advance()
        settle()
    }

    private mutating func advance() {
        nextProbe += 1
        if nextProbe == configuration.probesPerHop {
            nextProbe = 0
            nextTTL += 1
        }
    }

    /// Records the fate of an in-flight probe.
    mutating func record(ttl: Int, probe: Int, _ outcome: Outcome) {
        guard case .inFlight = outcomes[ttl - 1][probe] else { return }
        outcomes[ttl - 1][probe] = outcome
        outstanding -= 1
        if case .answered(_, _, let reply, _) = outcome, reply.endsPath {
            endTTL = min(endTTL ?? .max, ttl)
        }
        settle()
    }

    /// Advances ``settledHops`` over hops whose probes all ended, and stops after too many silent ones.
    private mutating func settle() {
        while settledHops < min(configuration.maxHops, nextTTL - 1) {
            let hop = outcomes[settledHops]
            var silent = true
            for outcome in hop {
                switch outcome {
                case .notSent, .inFlight: return
                case .answered: silent = false
                case .silent: break
                }
            }
            settledHops += 1
            silentRun = silent ? silentRun + 1 : 0
            if silentRun >= configuration.maxSilentHops, silentStopTTL == nil, endTTL.map({ $0 > settledHops }) ?? true
            {
                silentStopTTL = settledHops
            }
        }
    }

    /// The result: hops 1 up to where the path ended.
    func result() -> TraceResult {
        let last = min(lastTTL, nextTTL - (nextProbe == 0 ? 1 : 0))
        let ending: TraceResult.Ending =
            if isCancelled { .cancelled } else if endTTL != nil { .reached } else if silentStopTTL != nil {
                .silentHops
            } else { .maxHops }
        let hops = (0..<max(0, last)).map { index in
            TraceHop(
                number: index + 1,
                probes: outcomes[index].map { outcome in
                    switch outcome {
                    case .answered(let responder, let rtt, let reply, let mpls):
                        TraceProbe(
                            responder: responder.text, rttMilliseconds: Double(rtt) / 1_000_000, reply: reply,
                            mplsLabels: mpls)
                    case .notSent, .inFlight, .silent:
                        TraceProbe()
                    }
                })
        }
        return TraceResult(
            target: request.target.text, probeProtocol: configuration.probeProtocol, startedAt: startedAt, hops: hops,
            ending: ending, probesSent: probesSent)
    }
}
