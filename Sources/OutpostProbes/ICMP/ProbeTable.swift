/// The probes of one engine indexed by ICMP sequence number (one 16-bit space for both families).
///
/// A slot keeps its probe after it settled so that a duplicate or late reply can be told from
/// an unknown one; it is reused once the sequence number comes round again, and the probe's
/// token (echoed in the reply data) tells a reply to the old probe from one to the new.
struct ProbeTable {
    enum State: UInt8 {
        case unused, inFlight, answered, timedOut, failed
    }

    struct Probe {
        var round: Int32 = -1
        var token: UInt32 = 0
        var sentAt: UInt64 = 0
        var state: State = .unused
    }

    private var probes = ContiguousArray(repeating: Probe(), count: 65_536)
    private var nextSequence: UInt16 = 0
    /// Probes waiting for a reply.
    private(set) var inFlightCount = 0

    /// Sequence numbers free for new probes.
    var freeCount: Int { probes.count - inFlightCount }

    subscript(sequence: UInt16) -> Probe {
        probes[Int(sequence)]
    }

    /// The next sequence number not in flight. Requires `freeCount > 0`; numbers taken but
    /// not yet launched are not in flight, so the numbers of `n` taken in a row are distinct
    /// while `freeCount > n - 1`.
    mutating func nextFreeSequence() -> UInt16 {
        precondition(freeCount > 0)
        while probes[Int(nextSequence)].state == .inFlight { nextSequence &+= 1 }
        defer { nextSequence &+= 1 }
        return nextSequence
    }

    /// Marks `sequence` in flight for `round`.
    mutating func launch(_ sequence: UInt16, round: Int32, token: UInt32, sentAt: UInt64) {
        probes[Int(sequence)] = Probe(round: round, token: token, sentAt: sentAt, state: .inFlight)
        inFlightCount += 1
    }

    /// Settles an in-flight probe.
    mutating func settle(_ sequence: UInt16, as state: State) {
        precondition(probes[Int(sequence)].state == .inFlight && state != .inFlight)
        probes[Int(sequence)].state = state
        inFlightCount -= 1
    }
}
