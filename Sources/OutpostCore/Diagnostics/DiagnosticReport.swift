import Foundation

/// What an agent reports for a traceroute or MTR job: the payload of its `JobResult`,
/// JSON-encoded. The collector checks it with ``validated()`` before storing anything.
public struct DiagnosticReport: Sendable, Codable, Equatable {
    /// One hop, with the columns of `mtr --report` (a traceroute is an MTR of one cycle whose
    /// RTTs are all kept).
    public struct Hop: Sendable, Codable, Equatable {
        /// TTL / hop limit, from 1.
        public var number: Int
        /// The address that answered most probes; `nil` for a silent hop.
        public var responder: String?
        /// Its reverse DNS name, when asked for and found in time.
        public var hostname: String?
        /// Probes sent to this hop.
        public var sent: Int
        /// Probes answered.
        public var received: Int
        /// RTT of each answered probe in send order (traceroute), in milliseconds.
        public var rttsMilliseconds: [Double]
        public var lastMilliseconds: Double?
        public var averageMilliseconds: Double?
        public var bestMilliseconds: Double?
        public var worstMilliseconds: Double?
        public var standardDeviationMilliseconds: Double?
        /// Mean absolute difference between consecutive RTTs (mtr's "Javg").
        public var jitterMilliseconds: Double?
        /// What answered: `time-exceeded`, `echo-reply`, `unreachable-<code>`, `tcp-syn-ack`, `tcp-reset`.
        public var reply: String?
        /// MPLS labels quoted by the hop.
        public var mplsLabels: [UInt32]

        public init(
            number: Int, responder: String?, hostname: String? = nil, sent: Int, received: Int,
            rttsMilliseconds: [Double] = [], lastMilliseconds: Double? = nil, averageMilliseconds: Double? = nil,
            bestMilliseconds: Double? = nil, worstMilliseconds: Double? = nil,
            standardDeviationMilliseconds: Double? = nil, jitterMilliseconds: Double? = nil, reply: String? = nil,
            mplsLabels: [UInt32] = []
        ) {
            self.number = number
            self.responder = responder
            self.hostname = hostname
            self.sent = sent
            self.received = received
            self.rttsMilliseconds = rttsMilliseconds
            self.lastMilliseconds = lastMilliseconds
            self.averageMilliseconds = averageMilliseconds
            self.bestMilliseconds = bestMilliseconds
            self.worstMilliseconds = worstMilliseconds
            self.standardDeviationMilliseconds = standardDeviationMilliseconds
            self.jitterMilliseconds = jitterMilliseconds
            self.reply = reply
            self.mplsLabels = mplsLabels
        }

        /// Share of unanswered probes, 0...100.
        public var lossPercent: Double { sent == 0 ? 100 : Double(sent - received) * 100 / Double(sent) }
    }

    /// The traced address.
    public var target: String
    /// `icmp`, `udp` or `tcp`.
    public var probeProtocol: String
    /// When the first probe left (UTC).
    public var startedAt: Date
    /// Why the trace ended: `reached`, `silentHops`, `maxHops`, `cancelled`.
    public var ending: String
    /// Cycles run (1 for a traceroute).
    public var cycles: Int
    /// Probes sent in all.
    public var probesSent: Int
    /// The hops, from 1.
    public var hops: [Hop]

    public init(
        target: String, probeProtocol: String, startedAt: Date, ending: String, cycles: Int, probesSent: Int,
        hops: [Hop]
    ) {
        self.target = target
        self.probeProtocol = probeProtocol
        self.startedAt = startedAt
        self.ending = ending
        self.cycles = cycles
        self.probesSent = probesSent
        self.hops = hops
    }

    /// The responder of each hop (`nil` for silent ones): what path change detection compares.
    public var path: [String?] { hops.map(\.responder) }

    /// The JSON bytes of a `JobResult`'s payload.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return Array(try encoder.encode(self))
    }

    /// Decodes a `JobResult`'s payload (not yet validated).
    public init(decoding bytes: [UInt8]) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        self = try decoder.decode(Self.self, from: Data(bytes))
    }
}
