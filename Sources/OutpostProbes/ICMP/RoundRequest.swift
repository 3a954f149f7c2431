import Foundation
import OutpostCore

/// A round asked of the I/O thread, with where its result goes.
struct RoundRequest: Sendable {
    let target: PingTarget
    let configuration: PingConfiguration
    /// The monotonic time after which the round counts as overrun (``RoundOverruns``).
    let overrunDeadline: UInt64
    /// Called once, on the engine's I/O thread, when the round is over. Must not block.
    let completion: @Sendable (PingRoundResult) -> Void
}

/// What sending and matching replies touch of a round in progress: plain values only, so
/// that the I/O thread's per-packet work copies and retains nothing.
struct RoundProgress {
    let address: ICMPAddress
    let packetsPerRound: Int
    /// Nanoseconds between requests.
    let packetInterval: UInt64
    /// Nanoseconds a request waits for its reply.
    let timeout: UInt64
    /// Requests handed to the socket (or refused by it) so far.
    var sent = 0
    /// Requests waiting for their reply, error or timeout.
    var outstanding = 0
    var statistics = RTTStatistics()

    init(_ request: RoundRequest) {
        address = request.target.address
        packetsPerRound = request.configuration.packetsPerRound
        packetInterval = request.configuration.packetInterval.nanoseconds
        timeout = request.configuration.timeout.nanoseconds
    }

    /// Whether every request is sent and settled.
    var isComplete: Bool { sent == packetsPerRound && outstanding == 0 }
}

/// A round in progress: what was asked and when it started.
private struct ActiveRound {
    let request: RoundRequest
    let startedAt: Date
}

/// The rounds in progress on the I/O thread, by slot number; slots of finished rounds are reused.
struct RoundTable {
    private var requests: [ActiveRound?] = []
    private var progress = ContiguousArray<RoundProgress>()
    private var freeSlots: [Int32] = []

    /// Adds a round started at `startedAt` and returns its slot.
    mutating func add(_ request: RoundRequest, startedAt: Date) -> Int32 {
        if let slot = freeSlots.popLast() {
            requests[Int(slot)] = ActiveRound(request: request, startedAt: startedAt)
            progress[Int(slot)] = RoundProgress(request)
            return slot
        }
        requests.append(ActiveRound(request: request, startedAt: startedAt))
        progress.append(RoundProgress(request))
        return Int32(progress.count - 1)
    }

    /// Whether `slot` holds a round in progress.
    func contains(_ slot: Int32) -> Bool {
        slot >= 0 && Int(slot) < requests.count && requests[Int(slot)] != nil
    }

    /// The progress of the round in `slot`. Requires ``contains(_:)``.
    subscript(slot: Int32) -> RoundProgress {
        get { progress[Int(slot)] }
        _modify { yield &progress[Int(slot)] }
    }

    /// Removes the round in `slot` and returns its request and result. Requires ``contains(_:)``.
    mutating func remove(_ slot: Int32) -> (request: RoundRequest, result: PingRoundResult) {
        guard let round = requests[Int(slot)].take() else { preconditionFailure("no round in slot \(slot)") }
        let (request, startedAt) = (round.request, round.startedAt)
        freeSlots.append(slot)
        let progress = progress[Int(slot)]
        let statistics = progress.statistics
        let result = PingRoundResult(
            deviceID: request.target.deviceID,
            deviceIP: request.target.addressText,
            timestamp: startedAt,
            packetsSent: progress.sent,
            packetsReceived: statistics.count,
            minRTT: statistics.count > 0 ? statistics.minimum : nil,
            avgRTT: statistics.count > 0 ? statistics.mean : nil,
            maxRTT: statistics.count > 0 ? statistics.maximum : nil,
            stddevRTT: statistics.standardDeviation
        )
        return (request, result)
    }

    /// Slots of every round in progress.
    var slots: [Int32] {
        requests.indices.compactMap { requests[$0] == nil ? nil : Int32($0) }
    }
}
