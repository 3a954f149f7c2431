import OutpostCore

/// A device the scheduler pings, with its settings.
public struct PingDevice: Sendable, Hashable {
    /// Where to send the echo requests.
    public let target: PingTarget
    /// How many, how often.
    public let configuration: PingConfiguration

    /// Creates a device entry.
    public init(target: PingTarget, configuration: PingConfiguration) {
        self.target = target
        self.configuration = configuration
    }
}

/// Runs ping rounds for a set of devices, each every `roundInterval`, spread over the interval.
///
/// Every device starts at a random phase of its interval, so 10,000 devices do not fire at once,
/// and each round moves from its point on the device's grid of intervals by a random jitter of
/// up to ±``jitterFraction``/4 of the slack between its round duration and its interval, so
/// two rounds are the interval ± ``jitterFraction``/2 of the slack apart (the jitter does not
/// accumulate, and rounds of one device never overlap). The engine's global
/// send-rate limit still bounds the packet rate.
///
/// A running schedule takes a new device set in place (``PingSchedule/replaceDevices(_:)``):
/// devices that stay keep their timing, removed ones start no further round (a round already
/// sent still completes and is reported), and added ones start within
/// ``addedDeviceSpread`` (or their interval, if shorter) plus twice their largest jitter, so a
/// configuration change takes effect within seconds. A large addition is spread further: over the time its first rounds
/// need at the engine's send rate, with a fifth to spare (again at most their interval).
public struct PingScheduler: Sendable {
    private let engine: ICMPEngine
    private let devices: [PingDevice]
    /// Fraction of the slack between round duration and interval by which the time between two
    /// rounds of a device varies (0...1).
    public let jitterFraction: Double
    /// Devices added to a running schedule start their first round at a random point of this
    /// span (capped by their interval).
    public let addedDeviceSpread: Duration

    /// Creates a scheduler for `devices`; `jitterFraction` is clamped to 0...1 and
    /// `addedDeviceSpread` to at least zero.
    public init(
        engine: ICMPEngine, devices: [PingDevice], jitterFraction: Double = 0.5,
        addedDeviceSpread: Duration = .seconds(2)
    ) {
        self.engine = engine
        self.devices = devices
        self.jitterFraction = min(max(jitterFraction, 0), 1)
        self.addedDeviceSpread = max(addedDeviceSpread, .zero)
    }

    /// Results of all rounds of a schedule of these devices, as they complete, until the
    /// stream's consumer stops iterating: ``start()`` for a schedule whose devices never change.
    public func results() -> AsyncStream<PingRoundResult> {
        start().results
    }

    /// Starts a schedule; each call starts its own. It runs until the consumer of
    /// ``PingSchedule/results`` stops iterating.
    ///
    /// The results stream buffers at least 1,024 results (two per initial device when more);
    /// a consumer that falls further behind loses the oldest ones.
    public func start() -> PingSchedule {
        let (results, resultSink) = AsyncStream.makeStream(
            of: PingRoundResult.self, bufferingPolicy: .bufferingNewest(max(1024, devices.count * 2))
        )
        let (events, eventSink) = AsyncStream.makeStream(of: PingScheduleEvent.self)
        let loop = PingScheduleLoop(
            engine: engine, jitterFraction: jitterFraction, addedDeviceSpread: addedDeviceSpread)
        // The initial devices travel as the first event, so the running loop holds them once,
        // in its slots, rather than also as this array for as long as it runs.
        eventSink.yield(.start(devices))
        let task = Task {
            await loop.run(events: events, wake: eventSink, results: resultSink)
            resultSink.finish()
        }
        resultSink.onTermination = { _ in task.cancel() }
        return PingSchedule(results: results, events: eventSink)
    }
}

/// A running ping schedule: its results, and the way to change what it pings.
public struct PingSchedule: Sendable {
    /// Round results as rounds complete, including rounds of devices removed while in flight.
    public let results: AsyncStream<PingRoundResult>
    private let events: AsyncStream<PingScheduleEvent>.Continuation

    init(results: AsyncStream<PingRoundResult>, events: AsyncStream<PingScheduleEvent>.Continuation) {
        self.results = results
        self.events = events
    }

    /// Replaces the device set in place: a device equal to one already scheduled (same target
    /// and settings) keeps its timing; others are removed or added as in ``PingScheduler``.
    /// A device whose address or settings changed counts as removed and added.
    public func replaceDevices(_ devices: [PingDevice]) {
        events.yield(.replace(devices))
    }
}

/// What wakes the schedule loop.
enum PingScheduleEvent: Sendable {
    /// The initial device set (the schedule is empty), each device's first round at a random
    /// point of its interval.
    case start([PingDevice])
    /// A new device set.
    case replace([PingDevice])
    /// The earliest due round may have come.
    case tick
}
