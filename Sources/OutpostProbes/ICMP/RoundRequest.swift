import Foundation
import OutpostCore

/// A round asked of the I/O thread, with where its result goes.
struct RoundRequest: Sendable {
    let target: PingTarget
    let configuration: PingConfiguration
    /// Called once, on the engine's I/O thread, when the round is over. Must not block.
    let completion: @Sendable (PingRoundResult) -> Void
}

/// A round in progress on the I/O thread.
struct RoundState {
    let request: RoundRequest
    let startedAt: Date
    /// Requests handed to the socket (or refused by it) so far.
    var sent = 0
    /// Requests waiting for their reply, error or timeout.
    var outstanding = 0
    var statistics = RTTStatistics()

    init(request: RoundRequest, startedAt: Date) {
        self.request = request
        self.startedAt = startedAt
    }

    /// Whether every request is sent and settled.
    var isComplete: Bool { sent == request.configuration.packetsPerRound && outstanding == 0 }

    /// The round's result in the `ping_results` shape.
    var result: PingRoundResult {
        PingRoundResult(
            deviceID: request.target.deviceID,
            deviceIP: request.target.addressText,
            timestamp: startedAt,
            packetsSent: sent,
            packetsReceived: statistics.count,
            minRTT: statistics.count > 0 ? statistics.minimum : nil,
            avgRTT: statistics.count > 0 ? statistics.mean : nil,
            maxRTT: statistics.count > 0 ? statistics.maximum : nil,
            stddevRTT: statistics.standardDeviation
        )
    }
}
