import Foundation

/// What answered one probe.
public enum TraceReplyKind: Sendable, Hashable {
    /// ICMP time exceeded: a router on the way.
    case timeExceeded
    /// ICMP destination unreachable with its code (IPv4 or IPv6 numbering, per ``TraceResult/target``).
    case unreachable(code: UInt8)
    /// ICMP echo reply from the target.
    case echoReply
    /// TCP SYN-ACK from the target (the port is open).
    case tcpSynAck
    /// TCP RST from the target (the port is closed, the host is up).
    case tcpReset

    /// Whether this answer comes from the end of the path (no higher hop is probed).
    public var endsPath: Bool { self != .timeExceeded }
}

/// An MPLS label stack entry quoted in an ICMP extension (RFC 4950).
public struct MPLSLabel: Sendable, Hashable, Codable {
    /// The 20-bit label.
    public var label: UInt32
    /// Traffic class (3 bits).
    public var trafficClass: UInt8
    /// Whether this is the bottom of the stack.
    public var bottomOfStack: Bool
    /// The entry's TTL.
    public var ttl: UInt8

    public init(label: UInt32, trafficClass: UInt8, bottomOfStack: Bool, ttl: UInt8) {
        self.label = label
        self.trafficClass = trafficClass
        self.bottomOfStack = bottomOfStack
        self.ttl = ttl
    }
}

/// One probe's answer, or its absence.
public struct TraceProbe: Sendable, Hashable {
    /// Who answered (text form), `nil` when nothing did in time.
    public var responder: String?
    /// Round-trip time in milliseconds, `nil` when unanswered.
    public var rttMilliseconds: Double?
    /// What answered, `nil` when unanswered.
    public var reply: TraceReplyKind?
    /// MPLS labels the answer carried.
    public var mplsLabels: [MPLSLabel]

    public init(
        responder: String? = nil, rttMilliseconds: Double? = nil, reply: TraceReplyKind? = nil,
        mplsLabels: [MPLSLabel] = []
    ) {
        self.responder = responder
        self.rttMilliseconds = rttMilliseconds
        self.reply = reply
        self.mplsLabels = mplsLabels
    }
}

/// One hop (TTL) of a trace.
public struct TraceHop: Sendable, Hashable {
    /// The TTL / hop limit, from 1.
    public var number: Int
    /// Its probes, in send order.
    public var probes: [TraceProbe]

    public init(number: Int, probes: [TraceProbe]) {
        self.number = number
        self.probes = probes
    }

    /// The address most probes of this hop heard from (`nil`: silent hop, printed `*`).
    public var responder: String? {
        var counts: [String: Int] = [:]
        for case let address? in probes.map(\.responder) { counts[address, default: 0] += 1 }
        return counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }

    /// RTTs of the answered probes, in milliseconds.
    public var rttsMilliseconds: [Double] { probes.compactMap(\.rttMilliseconds) }

    /// Share of unanswered probes in percent.
    public var lossPercent: Double {
        probes.isEmpty ? 100 : Double(probes.count - rttsMilliseconds.count) * 100 / Double(probes.count)
    }
}

/// A finished trace.
public struct TraceResult: Sendable, Hashable {
    /// Why the trace ended.
    public enum Ending: String, Sendable, Hashable, Codable {
        /// The target (or a host saying it is unreachable) answered.
        case reached
        /// ``TraceConfiguration/maxSilentHops`` hops in a row stayed silent.
        case silentHops
        /// ``TraceConfiguration/maxHops`` were probed without reaching the target.
        case maxHops
        /// The trace was cancelled or the engine stopped.
        case cancelled
    }

    /// The traced address, text form.
    public var target: String
    /// The protocol probed with.
    public var probeProtocol: TraceConfiguration.ProbeProtocol
    /// When the trace started.
    public var startedAt: Date
    /// The hops from TTL 1 to the last one probed that is part of the path.
    public var hops: [TraceHop]
    /// Why it ended.
    public var ending: Ending
    /// Probes sent.
    public var probesSent: Int

    public init(
        target: String, probeProtocol: TraceConfiguration.ProbeProtocol, startedAt: Date, hops: [TraceHop],
        ending: Ending, probesSent: Int
    ) {
        self.target = target
        self.probeProtocol = probeProtocol
        self.startedAt = startedAt
        self.hops = hops
        self.ending = ending
        self.probesSent = probesSent
    }

    /// The responder of each hop (`nil` for silent ones): what path change detection compares.
    public var path: [String?] { hops.map(\.responder) }
}
