import OutpostCore
import Testing

@Suite("Sequence window")
struct SequenceWindowTests {
    @Test("out-of-order sequences are recorded once and joined to the high-water mark when the gap closes")
    func outOfOrder() {
        var window = SequenceWindow(highWater: 0, committedAbove: [])
        let first = window.record(2)
        let again = window.record(2)
        #expect(first && !again)
        #expect(window.highWater == 0 && window.committedAbove == [2])
        let gap = window.record(1)
        #expect(gap)
        #expect(window.highWater == 2 && window.committedAbove.isEmpty)
        window.settle(through: 5)
        #expect(window.highWater == 5)
        let settled = window.record(4)
        #expect(!settled)
    }

    @Test(
        "sequences beyond bigint are never recorded or settled, and the high-water mark stops at the largest accepted")
    func neverLeavesBigint() {
        var window = SequenceWindow(highWater: .largestAccepted - 1, committedAbove: [])
        let largest = window.record(.max)
        let int64Max = window.record(BatchSequence(Int64.max))
        #expect(!largest && !int64Max)
        window.settle(through: .max)
        #expect(window.highWater == .largestAccepted - 1)
        let last = window.record(.largestAccepted)
        #expect(last)
        #expect(window.highWater == .largestAccepted)
        #expect(Int64(exactly: window.highWater + 1) != nil)
        // A stored window out of range (written by hand) is brought back into it.
        #expect(SequenceWindow(highWater: .max, committedAbove: [.max]).highWater == .largestAccepted)
    }
}
