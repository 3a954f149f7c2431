import HeapModule
import OutpostCore

/// The event loop behind a ``PingSchedule``: a heap of due rounds, woken by device-set
/// replacements and by a timer for the earliest due round.
///
/// Each scheduled device is held once, in a slot; a heap entry names its slot and generation
/// (32 bytes), so 10,000 devices cost about 320 KB of entries beside their slots rather than a
/// copy of each device in the heap and another as a dictionary key (docs/architecture.md,
/// "Agent memory").
struct PingScheduleLoop: Sendable {
    let engine: ICMPEngine
    let jitterFraction: Double
    let addedDeviceSpread: Duration

    /// A scheduled next round of the device in `slot`. `generation` tells a stale entry (its
    /// device was removed, and the slot maybe reused since) from the live one.
    struct Due: Comparable {
        /// When the round starts: its point on the device's grid, one interval after the
        /// previous one, moved by its jitter.
        var instant: ContinuousClock.Instant
        /// The jitter in `instant`, in milliseconds (at most a quarter of a day's slack either way).
        var jitterMilliseconds: Int32
        let slot: UInt32
        let generation: UInt32

        /// The point on the device's grid of intervals this round belongs to.
        var gridInstant: ContinuousClock.Instant { instant - .milliseconds(Int64(jitterMilliseconds)) }

        static func < (lhs: Due, rhs: Due) -> Bool { lhs.instant < rhs.instant }
    }

    /// A device's place in the schedule; `device` is `nil` while the slot is free.
    struct Slot {
        var device: PingDevice?
        var generation: UInt32
    }

    /// The scheduled devices and their next rounds.
    ///
    /// Each device's rounds sit on a grid one interval apart and each round moves from its grid
    /// point by its own jitter, drawn afresh and not carried into the next one (a round late by
    /// more than an interval moves the grid to its start). First rounds sit a largest jitter past
    /// their random phase, so they are spread the way later rounds are: the falling edge of the
    /// first interval's rounds and the rising edge of the second's add up to the devices' mean
    /// rate. Jitter carried from round to round instead, with unjittered first rounds, put half
    /// as many rounds again into the end of the first interval: a burst that overran rounds
    /// under a send-rate ceiling (docs/architecture.md, "Agent ICMP send rate").
    struct State {
        /// The fraction of a device's slack (interval minus round duration) by which the time
        /// between two of its rounds varies, 0...1: each round moves from its grid point by up
        /// to a quarter of it either way.
        let jitterFraction: Double
        private(set) var queue = Heap<Due>()
        private(set) var slots: [Slot] = []
        private var freeSlots: [UInt32] = []

        init(jitterFraction: Double) {
            self.jitterFraction = jitterFraction
        }

        /// Devices scheduled.
        var count: Int { slots.count - freeSlots.count }

        /// Makes room for `count` devices in all, so the slots and entries of a large initial
        /// set are allocated once and not doubled past it.
        mutating func reserveCapacity(_ count: Int) {
            slots.reserveCapacity(count)
            queue.reserveCapacity(count)
        }

        /// The largest jitter of a round with `configuration`, either way.
        func jitterReach(_ configuration: PingConfiguration) -> Duration {
            max(configuration.roundInterval - configuration.roundDuration, .zero) * (jitterFraction / 4)
        }

        /// A random jitter within ``jitterReach(_:)``, in whole milliseconds.
        private func jitter(_ configuration: PingConfiguration, using generator: inout some RandomNumberGenerator)
            -> Int32
        {
            let (seconds, attoseconds) = jitterReach(configuration).components
            let reach = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
            return Int32(clamping: Int64((reach * Double.random(in: -1...1, using: &generator)).rounded()))
        }

        /// Schedules `device`'s first round on a grid point at a random point of
        /// `[now, now + within)` plus its largest jitter, then moved by a jitter.
        mutating func add(
            _ device: PingDevice, now: ContinuousClock.Instant, within: Duration,
            using generator: inout some RandomNumberGenerator
        ) {
            let slot: UInt32
            if let free = freeSlots.popLast() {
                slot = free
                slots[Int(slot)].device = device
                slots[Int(slot)].generation &+= 1
            } else {
                slot = UInt32(slots.count)
                slots.append(Slot(device: device, generation: 0))
            }
            let configuration = device.configuration
            let grid = now + jitterReach(configuration) + within * Double.random(in: 0..<1, using: &generator)
            let jitter = jitter(configuration, using: &generator)
            queue.insert(
                Due(
                    instant: grid + .milliseconds(Int64(jitter)), jitterMilliseconds: jitter, slot: slot,
                    generation: slots[Int(slot)].generation))
        }

        /// Keeps the devices of `devices` already scheduled, frees the slots of the others (their
        /// heap entries go stale) and returns the new ones, each once.
        mutating func retain(_ devices: [PingDevice]) -> [PingDevice] {
            var wanted = Set(devices)
            for index in slots.indices {
                guard let device = slots[index].device else { continue }
                if wanted.remove(device) == nil {
                    slots[index].device = nil
                    freeSlots.append(UInt32(index))
                }
            }
            return devices.filter { wanted.remove($0) != nil }
        }

        /// The device of a live entry, `nil` for a stale one.
        func device(of entry: Due) -> PingDevice? {
            let slot = slots[Int(entry.slot)]
            return slot.generation == entry.generation ? slot.device : nil
        }

        /// Removes and returns the live entries due at `now` with their devices, skipping stale ones.
        mutating func popDue(at now: ContinuousClock.Instant) -> [(Due, PingDevice)] {
            var due: [(Due, PingDevice)] = []
            while let first = queue.min, first.instant <= now {
                let entry = queue.removeMin()
                if let device = device(of: entry) { due.append((entry, device)) }
            }
            return due
        }

        /// Schedules the next round of `entry`'s device, whose round started at `now` with
        /// `configuration`: one interval after this round's grid point (or after `now`, when
        /// this round started more than an interval late), moved by a new jitter, and never
        /// before this round's duration is over.
        mutating func reschedule(
            _ entry: Due, startedAt now: ContinuousClock.Instant, configuration: PingConfiguration,
            using generator: inout some RandomNumberGenerator
        ) {
            var next = entry
            let grid = max(entry.gridInstant + configuration.roundInterval, now)
            next.jitterMilliseconds = jitter(configuration, using: &generator)
            next.instant = max(grid + .milliseconds(Int64(next.jitterMilliseconds)), now + configuration.roundDuration)
            queue.insert(next)
        }

        /// The next live due instant; drops stale entries at the top of the heap.
        mutating func nextInstant() -> ContinuousClock.Instant? {
            while let first = queue.min {
                if device(of: first) != nil { return first.instant }
                queue.removeMin()
            }
            return nil
        }
    }

    /// The span over which devices added to a running schedule start their first round (each
    /// capped by its own interval): ``addedDeviceSpread``, or longer when the first rounds'
    /// requests would not fit in it at `packetsPerSecond` with a fifth to spare. A whole new
    /// configuration (a first one, or every device's interval stretched) is then spread over
    /// what the send rate allows instead of queueing behind it and overrunning.
    func addedDeviceWindow(_ added: [PingDevice], packetsPerSecond: Int) -> Duration {
        let packets = added.reduce(0) { $0 + $1.configuration.packetsPerRound }
        return max(addedDeviceSpread, .seconds(Double(packets) * 1.25 / Double(max(packetsPerSecond, 1))))
    }

    /// Runs until `events` ends (the schedule's consumer went away: the task is cancelled).
    /// `wake` feeds the same `events` stream from the timer; the first event starts the
    /// schedule's initial devices (``PingScheduleEvent/start(_:)``).
    func run(
        events: AsyncStream<PingScheduleEvent>, wake: AsyncStream<PingScheduleEvent>.Continuation,
        results: AsyncStream<PingRoundResult>.Continuation
    ) async {
        let clock = ContinuousClock()
        var generator = SystemRandomNumberGenerator()
        var state = State(jitterFraction: jitterFraction)
        var timer: Task<Void, Never>?
        // One timer at a time, cancelled when replaced: a child task of a group could not be
        // cancelled on its own.
        defer { timer?.cancel() }
        // One completion for every round: the rounds of a wake-up reach the engine together.
        let report: @Sendable (PingRoundResult) -> Void = { results.yield($0) }
        var iterator = events.makeAsyncIterator()
        while let event = await iterator.next() {
            let now = clock.now
            switch event {
            case .start(let devices):
                // The schedule is empty: no set of the devices to compare with, which would
                // cost as much again as the slots while it is built.
                state.reserveCapacity(devices.count)
                for device in devices {
                    state.add(device, now: now, within: device.configuration.roundInterval, using: &generator)
                }
            case .replace(let devices):
                let added = state.retain(devices)
                let window = addedDeviceWindow(added, packetsPerSecond: engine.maxPacketsPerSecond)
                for device in added {
                    state.add(
                        device, now: now, within: min(device.configuration.roundInterval, window), using: &generator)
                }
            case .tick:
                break
            }
            let due = state.popDue(at: now)
            engine.startRounds(due.lazy.map(\.1), completion: report)
            for (entry, device) in due {
                state.reschedule(entry, startedAt: now, configuration: device.configuration, using: &generator)
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
        }
    }
}
