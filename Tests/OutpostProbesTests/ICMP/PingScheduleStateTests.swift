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
        var state = PingScheduleLoop.State()
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
        let due = state.popDue(at: start + .seconds(10))
        #expect(due.count == 1_000)
        #expect(Set(due.map(\.1.target.deviceID)).count == 1_000)
        #expect(state.nextInstant() == nil && state.queue.isEmpty)
    }
}
