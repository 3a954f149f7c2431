import Testing

@testable import OutpostProbes

@Suite("Timer wheel")
struct TimerWheelTests {
    private let millisecond: UInt64 = 1_000_000

    @Test func firesInDeadlineOrderOnlyWhenDue() {
        var wheel = TimerWheel<Int>(slotCount: 8, now: 0)
        wheel.schedule(3, at: 3 * millisecond)
        wheel.schedule(1, at: 1 * millisecond)
        wheel.schedule(20, at: 20 * millisecond)  // beyond one revolution of 8 slots
        var fired: [Int] = []
        wheel.advance(to: 2 * millisecond, into: &fired)
        #expect(fired == [1])
        wheel.advance(to: 12 * millisecond, into: &fired)
        #expect(fired == [1, 3], "the 20 ms timer shares a slot with 12 ms but is not due")
        #expect(wheel.count == 1)
        wheel.advance(to: 100 * millisecond, into: &fired)
        #expect(fired == [1, 3, 20])
        #expect(wheel.count == 0 && wheel.nextDeadlineHint == nil)
    }

    @Test func deadlineHintIsNeverLate() {
        var wheel = TimerWheel<Int>(slotCount: 16, now: 0)
        wheel.schedule(1, at: 5 * millisecond + 1)
        let hint = wheel.nextDeadlineHint
        #expect(hint != nil && hint! <= 6 * millisecond)
    }
}
