import Foundation
import Logging
import OutpostCore
import OutpostProbes

/// Shared helpers of the ICMP tests.
enum ICMPTest {
    /// A raw-socket engine fast enough for the tests, logging to standard error.
    static func engine(mode: ICMPEngineConfiguration.SocketMode = .raw, maxPacketsPerSecond: Int = 100_000) throws
        -> ICMPEngine
    {
        try ICMPEngine(
            configuration: .init(socketMode: mode, maxPacketsPerSecond: maxPacketsPerSecond),
            logger: Logger(label: "test.icmp"))
    }

    /// A target for a new device.
    static func target(_ address: String) throws -> PingTarget {
        try PingTarget(deviceID: DeviceID(UUID()), address: address)
    }

    /// Runs one round per address concurrently on `engine`.
    static func rounds(_ engine: ICMPEngine, _ addresses: [String], _ configuration: PingConfiguration) async throws
        -> [PingRoundResult]
    {
        let targets = try addresses.map(target)
        return await withTaskGroup(of: PingRoundResult.self) { group in
            for target in targets {
                group.addTask { await engine.round(target: target, configuration: configuration) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// Sum of round-trip times over all received replies, for pooled means.
    static func pooledMeanRTT(_ results: [PingRoundResult]) -> Double? {
        let received = results.reduce(0) { $0 + $1.packetsReceived }
        guard received > 0 else { return nil }
        return results.reduce(0.0) { $0 + ($1.avgRTT ?? 0) * Double($1.packetsReceived) } / Double(received)
    }
}
