import HeapModule
import OutpostCore

/// The event loop behind a ``PingSchedule``: a heap of due rounds, woken by device-set
/// replacements and by a timer for the earliest due round.
struct PingScheduleLoop: Sendable {
    let engine: ICMPEngine
    let jitterFraction: Double
    let addedDeviceSpread: Duration

    /// A scheduled next round. `generation` tells a stale entry (its device was removed, maybe
    /// re-added since) from the live one.
    private struct Due: Comparable {
        var instant: ContinuousClock.Instant
        let device: PingDevice
        let generation: UInt64

        static func < (lhs: Due, rhs: Due) -> Bool { lhs.instant < rhs.instant }
    }

    /// The scheduled devices and their next rounds.
    private struct State {
        var queue = Heap<Due>()
        var live: [PingDevice: UInt64] = [:]
        var nextGeneration: UInt64 = 0

        /// Schedules `device`'s first round at a random point of `[now, now + within)`.
        mutating func add(
            _ device: PingDevice, now: ContinuousClock.Instant, within: Duration,
            using generator: inout some RandomNumberGenerator
        ) {
            guard live[device] == nil else { return }
            nextGeneration += 1
            live[device] = nextGeneration
            queue.insert(
                Due(
                    instant: now + within * Double.random(in: 0..<1, using: &generator), device: device,
                    generation: nextGeneration))
        }

        /// Keeps the devices of `devices` already scheduled, drops the others (their heap entries
        /// go stale) and returns the new ones.
        mutating func retain(_ devices: Set<PingDevice>) -> [PingDevice] {
            live = live.filter { devices.contains($0.key) }
            return devices.filter { live[$0] == nil }
        }

        /// Removes and returns the live entries due at `now`, skipping stale ones.
        mutating func popDue(at now: ContinuousClock.Instant) -> [Due] {
            var due: [Due] = []
            while let first = queue.min, first.instant <= now {
                let entry = queue.removeMin()
                if live[entry.device] == entry.generation { due.append(entry) }
            }
            return due
        }

        /// The next live due instant; drops stale entries at the top of the heap.
        mutating func nextInstant() -> ContinuousClock.Instant? {
            while let first = queue.min {
                if live[first.device] == first.generation { return first.instant }
                queue.removeMin()
            }
            return nil
        }
    }

    /// Runs until `events` ends (the schedule's consumer went away: the task is cancelled).
    /// `wake` feeds the same `events` stream from the timer.
    func run(
        initialDevices: [PingDevice], events: AsyncStream<PingScheduleEvent>,
        wake: AsyncStream<PingScheduleEvent>.Continuation, results: AsyncStream<PingRoundResult>.Continuation
    ) async {
        let clock = ContinuousClock()
        var generator = SystemRandomNumberGenerator()
        var state = State()
        let start = clock.now
        for device in initialDevices {
            state.add(device, now: start, within: device.configuration.roundInterval, using: &generator)
        }
        var timer: Task<Void, Never>?
        // One timer at a time, cancelled when replaced: a child task of a group could not be
        // cancelled on its own.
        defer { timer?.cancel() }
        var iterator = events.makeAsyncIterator()
        while true {
            let now = clock.now
            for var due in state.popDue(at: now) {
                let device = due.device
                engine.startRound(target: device.target, configuration: device.configuration) { results.yield($0) }
                let configuration = device.configuration
                let slack = configuration.roundInterval - configuration.roundDuration
                let jitter = slack * (jitterFraction * Double.random(in: -0.5...0.5, using: &generator))
                // A round started late moves its successors with it, so rounds never overlap.
                due.instant = max(due.instant, now) + configuration.roundInterval + jitter
                state.queue.insert(due)
            }
            timer?.cancel()
            timer = state.nextInstant().map { instant in
                Task {
                    do {
                        try await clock.sleep(until: instant)
                        wake.yield(.tick)
                    } catch {
                        // Cancelled: a newer timer or the end of the schedule.
                    }
                }
            }
            guard let event = await iterator.next() else { return }
            if case .replace(let devices) = event {
                let added = state.retain(Set(devices))
                let now = clock.now
                for device in added {
                    state.add(
                        device, now: now, within: min(device.configuration.roundInterval, addedDeviceSpread),
                        using: &generator)
                }
            }
        }
    }
}
