import Foundation
import OutpostCore
import Testing

@testable import OutpostProbes

@Suite("Ping schedule state")
struct PingScheduleStateTests {
    static func devices(_ range: ClosedRange<Int>) throws -> [PingDevice] {
        let configuration = try PingConfiguration(packetsPerRound: 1, timeout: .milliseconds(100))
        return try range.map {
            PingDevice(
                target: try PingTarget(
                    deviceID: DeviceID(UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", $0))!),
                    address: "10.0.\($0 / 256).\($0 % 256)"),
                configuration: configuration)
        }
    }

    @Test("device sets replaced again and again reuse the slots of removed devices; stale entries never fire")
    func slotsStayBoundedAcrossReplacements() throws {
        var state = PingScheduleLoop.State(jitterFraction: 0.5)
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        for device in state.retain(try Self.devices(1...1_000)) {
            state.add(device, now: start, within: .seconds(10), using: &generator)
        }
        #expect(state.count == 1_000 && state.slots.count == 1_000)

        // Each new set keeps half of the previous one and adds 500 devices never seen before.
        for round in 1...20 {
            let devices = try Self.devices((round * 500 + 1)...(round * 500 + 1_000))
            let added = state.retain(devices + devices.prefix(10))  // duplicates count once
            #expect(added.count == 500)
            for device in added { state.add(device, now: start, within: .seconds(10), using: &generator) }
            #expect(state.count == 1_000)
        }
        #expect(state.slots.count == 1_000, "removed devices free their slots before added ones take one")

        // Only the 1,000 live devices are due, once each, however many stale entries the heap holds.
        // First rounds fall within 10 s plus twice the largest jitter (9.9 s of slack × 0.5 / 4).
        let due = state.popDue(at: start + .seconds(13))
        #expect(due.count == 1_000)
        #expect(Set(due.map(\.1.target.deviceID)).count == 1_000)
        #expect(state.nextInstant() == nil && state.queue.isEmpty)
    }

    /// Runs the schedule of `devices` (started at once) in virtual time, starting the due rounds
    /// every 100 ms, and returns each round's start, in seconds from the schedule's start.
    static func simulate(
        _ devices: [PingDevice], jitterFraction: Double, seconds: Double, delays: (Double) -> Double = { _ in 0 }
    ) -> [(device: DeviceID, at: Double)] {
        var state = PingScheduleLoop.State(jitterFraction: jitterFraction)
        var generator = SystemRandomNumberGenerator()
        let start = ContinuousClock.now
        for device in devices {
            state.add(device, now: start, within: device.configuration.roundInterval, using: &generator)
        }
        var starts: [(device: DeviceID, at: Double)] = []
        var time = 0.0
        while time < seconds {
            time += 0.1 + delays(time)
            let now = start + .seconds(time)
            for (entry, device) in state.popDue(at: now) {
                starts.append((device.target.deviceID, time))
                state.reschedule(entry, startedAt: now, configuration: device.configuration, using: &generator)
            }
        }
        return starts
    }

    @Test("rounds keep the devices' mean rate from the first interval on: no burst where the second begins")
    func roundsStartAtAnEvenRate() throws {
        // 20,000 devices every 80 s (3 s rounds): 250 rounds a second on average, in 5 s bins 1,250.
        let configuration = try PingConfiguration(roundInterval: .seconds(80))
        let devices = try Self.devices(1...20_000).map {
            PingDevice(target: $0.target, configuration: configuration)
        }
        let starts = Self.simulate(devices, jitterFraction: 1, seconds: 400)
        var bins = [Int](repeating: 0, count: 80)
        for (_, at) in starts { bins[min(Int(at / 5), 79)] += 1 }
        // After the ramp of the first 38.5 s (twice the largest jitter, 77 s of slack / 4), every
        // bin holds the mean rate within sampling noise (σ ≈ 35); carried jitter with unjittered
        // first rounds put up to half as many again into the bins before 80 s.
        let steady = bins[16..<79]
        #expect(steady.allSatisfy { $0 < 1_400 }, "\(Array(steady))")
        #expect(bins.prefix(16).allSatisfy { $0 < 1_400 }, "the ramp stays below the mean: \(Array(bins.prefix(16)))")
    }

    @Test("a device's rounds stay on its grid, at least a round apart; a late round moves the grid")
    func roundsStayOnTheirGrid() throws {
        let configuration = try PingConfiguration(roundInterval: .seconds(10))  // 3 s rounds, 7 s of slack
        let devices = try Self.devices(1...200).map { PingDevice(target: $0.target, configuration: configuration) }
        // The loop stalls for 25 s at t = 100 s.
        let starts = Self.simulate(devices, jitterFraction: 1, seconds: 200) { time in
            time >= 100 && time < 100.1 ? 25 : 0
        }
        for device in devices.map(\.target.deviceID) {
            let times = starts.filter { $0.device == device }.map(\.at)
            let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
            #expect(gaps.allSatisfy { $0 >= 3 - 0.11 }, "rounds never overlap: \(gaps)")
            // Before the stall, each round is within 2 × 1.75 s (its and the first round's
            // jitter) of an even 10 s grid: the jitter does not accumulate into a drift.
            let before = times.filter { $0 < 100 }
            let phase = before[0]
            #expect(
                before.enumerated().allSatisfy { abs($1 - (phase + Double($0) * 10)) <= 3.7 },
                "rounds drift from their grid: \(before)")
            // After the stall, one round at the stall's end, then the interval again.
            let after = times.filter { $0 > 125 }
            #expect(after.count >= 6 && after.count <= 9, "\(after)")
        }
    }
}
