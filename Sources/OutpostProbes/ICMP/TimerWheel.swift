/// A hashed timing wheel: O(1) scheduling of many short timers (one per probe in flight).
///
/// Written here because neither swift-nio nor swift-collections exposes one: a heap costs
/// O(log n) per probe, and tens of thousands of probes are in flight at high rates.
/// Deadlines are monotonic nanoseconds; they fire at the first ``advance(to:into:)`` at or
/// after them, rounded up to the tick. Deadlines beyond one revolution stay in their slot
/// until their revolution comes.
struct TimerWheel<Element> {
    private struct Entry {
        var tick: UInt64
        var element: Element
    }

    private var slots: [[Entry]]
    private let tickNanoseconds: UInt64
    private var currentTick: UInt64
    /// Number of scheduled timers.
    private(set) var count = 0

    /// Creates a wheel of `slotCount` slots (a power of two) of `tickNanoseconds` each, starting at `now`.
    init(slotCount: Int = 4096, tickNanoseconds: UInt64 = 1_000_000, now: UInt64) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0 && tickNanoseconds > 0)
        slots = Array(repeating: [], count: slotCount)
        self.tickNanoseconds = tickNanoseconds
        currentTick = now / tickNanoseconds
    }

    /// Schedules `element` to fire at `deadline` (monotonic nanoseconds).
    mutating func schedule(_ element: Element, at deadline: UInt64) {
        let tick = max((deadline + tickNanoseconds - 1) / tickNanoseconds, currentTick + 1)
        slots[slot(of: tick)].append(Entry(tick: tick, element: element))
        count += 1
    }

    /// Removes every timer due at or before `now` and appends it to `fired`, in deadline-tick order.
    mutating func advance(to now: UInt64, into fired: inout [Element]) {
        let target = now / tickNanoseconds
        guard target > currentTick else { return }
        // After a long stall one pass over all slots suffices: each fires what is due.
        let first = max(currentTick + 1, target >= UInt64(slots.count) ? target - UInt64(slots.count) + 1 : 0)
        currentTick = target
        guard count > 0 else { return }
        for tick in first...target {
            let index = slot(of: tick)
            guard !slots[index].isEmpty else { continue }
            let before = fired.count
            slots[index].removeAll { entry in
                guard entry.tick <= target else { return false }
                fired.append(entry.element)
                return true
            }
            count -= fired.count - before
        }
    }

    /// A time at or before the earliest deadline, or `nil` when no timer is scheduled.
    var nextDeadlineHint: UInt64? {
        guard count > 0 else { return nil }
        for offset in 1...UInt64(slots.count) where !slots[slot(of: currentTick + offset)].isEmpty {
            return (currentTick + offset) * tickNanoseconds
        }
        return nil
    }

    /// The slot of `tick`: a mask, as the slot count is a power of two.
    private func slot(of tick: UInt64) -> Int {
        Int(truncatingIfNeeded: tick) & (slots.count - 1)
    }
}
