import Foundation
import OutpostCore

/// What a group of ping rounds says about one device's reachability, in time order.
///
/// The legacy system marked a device down on one lost probe and never cleared it reliably;
/// here a device is down from the first failed round after its last successful one, and up
/// again on the next successful round.
struct DeviceRoundSummary {
    let deviceID: DeviceID
    /// Time of the newest round.
    private(set) var latest: Date
    /// Whether the newest round got a reply.
    private(set) var latestReachable: Bool
    /// Time of the newest round that got a reply, if any.
    private(set) var lastReachable: Date?
    /// Time of the first failed round after `lastReachable` (or of the first failed round at all).
    private(set) var firstFailureAfterLastSuccess: Date?

    init(_ round: PingRoundResult) {
        deviceID = round.deviceID
        latest = round.timestamp
        latestReachable = round.isReachable
        lastReachable = round.isReachable ? round.timestamp : nil
        firstFailureAfterLastSuccess = round.isReachable ? nil : round.timestamp
    }

    /// Summaries per device of `rounds`, in any order.
    static func summarise(_ rounds: [PingRoundResult]) -> [DeviceRoundSummary] {
        var byDevice: [DeviceID: DeviceRoundSummary] = [:]
        for round in rounds.sorted(by: { $0.timestamp < $1.timestamp }) {
            if byDevice[round.deviceID] == nil {
                byDevice[round.deviceID] = DeviceRoundSummary(round)
            } else {
                byDevice[round.deviceID]!.add(round)
            }
        }
        return Array(byDevice.values)
    }

    /// Folds in a round no older than every round seen so far.
    mutating func add(_ round: PingRoundResult) {
        latest = round.timestamp
        latestReachable = round.isReachable
        if round.isReachable {
            lastReachable = round.timestamp
            firstFailureAfterLastSuccess = nil
        } else if firstFailureAfterLastSuccess == nil {
            firstFailureAfterLastSuccess = round.timestamp
        }
    }
}
