import OutpostCore
import Synchronization

/// Re-walks a device's slower interface polls as soon as a walk sees interfaces come or go.
///
/// A device's inventory columns (names, aliases, types) are typically polled hourly and its
/// metrics every minute. What `ifNumber` and `ifTableLastChange` announce, rows of the
/// interface table created or deleted, each metrics walk sees directly in the row instances of
/// its IF-MIB columns: when they differ from the previous walk of that poll, the device's other
/// polls that walk IF-MIB columns are woken and read at once, so a new interface is named within
/// one metrics interval. Their regular schedule is kept.
final class InterfaceRewalks: Sendable {
    /// One poll loop: a device's items that share an interval.
    struct Poll: Hashable, Sendable {
        let device: DeviceID
        let interval: Int
    }

    private struct Slot {
        /// The poll loop sleeping until it is woken or due.
        var sleeper: CheckedContinuation<Void, Never>?
        /// Woken while not sleeping: the next sleep returns at once.
        var pending = false
        /// Whether this poll walks IF-MIB columns (and is woken when interfaces change).
        var walksInterfaces = false
        /// The interface rows its last walk saw.
        var rows: Set<String>?
    }

    private let slots = Mutex<[Poll: Slot]>([:])

    /// The IF-MIB tables whose rows are the device's interfaces: ifTable and ifXTable entries.
    static let interfaceTables = ["1.3.6.1.2.1.2.2.1.", "1.3.6.1.2.1.31.1.1.1."]

    /// Whether `column` (a numeric OID without a leading dot) is a column of an interface table.
    static func isInterfaceColumn(_ column: some StringProtocol) -> Bool {
        interfaceTables.contains { column.hasPrefix($0) }
    }

    /// Declares that `poll` walks IF-MIB columns, so interface changes wake it.
    func register(_ poll: Poll) {
        slots.withLock { $0[poll, default: Slot()].walksInterfaces = true }
    }

    /// Records the interface rows a walk of `poll` saw; when they differ from its previous walk,
    /// wakes the device's other polls of interface columns. Returns whether they differed.
    @discardableResult
    func observe(interfaceRows rows: Set<String>, of poll: Poll) -> Bool {
        let (changed, sleepers) = slots.withLock { slots -> (Bool, [CheckedContinuation<Void, Never>]) in
            let previous = slots[poll, default: Slot()].rows
            slots[poll, default: Slot()].rows = rows
            guard let previous, previous != rows else { return (false, []) }
            var sleepers: [CheckedContinuation<Void, Never>] = []
            for index in slots.indices {
                let (key, slot) = slots[index]
                guard key.device == poll.device, key != poll, slot.walksInterfaces else { continue }
                if let sleeper = slot.sleeper {
                    sleepers.append(sleeper)
                    slots.values[index].sleeper = nil
                } else {
                    slots.values[index].pending = true
                }
            }
            return (true, sleepers)
        }
        for sleeper in sleepers { sleeper.resume() }
        return changed
    }

    /// Sleeps until `deadline`, or until an interface change wakes `poll`, or the task is
    /// cancelled. Returns `true` when woken before the deadline.
    func sleep(_ poll: Poll, until deadline: ContinuousClock.Instant) async -> Bool {
        let (pending, wakeable) = slots.withLock { slots in
            defer { slots[poll]?.pending = false }
            return (slots[poll]?.pending ?? false, slots[poll]?.walksInterfaces ?? false)
        }
        if pending { return true }
        guard wakeable else {
            // Nothing wakes a poll of other items: one plain sleep, no watcher task.
            try? await ContinuousClock().sleep(until: deadline)
            return false
        }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await ContinuousClock().sleep(until: deadline)
                return false
            }
            group.addTask {
                await self.waitUntilWoken(poll)
                return !Task.isCancelled
            }
            let woken = await group.next() ?? false
            group.cancelAll()
            return woken
        }
    }

    private func waitUntilWoken(_ poll: Poll) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Under the lock: a wake or a cancellation either happened already (then resume
                // now) or finds the stored continuation.
                let resumeNow = slots.withLock { slots in
                    if slots[poll]?.pending == true || Task.isCancelled {
                        slots[poll]?.pending = false
                        return true
                    }
                    slots[poll, default: Slot()].sleeper = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = slots.withLock { slots in
                defer { slots[poll]?.sleeper = nil }
                return slots[poll]?.sleeper
            }
            sleeper?.resume()
        }
    }
}
