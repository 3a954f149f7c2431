import HeapModule
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
/// and each later round moves by a random jitter of up to ±``jitterFraction``/2 of the slack
/// between its round duration and its interval (rounds of one device never overlap). The
/// engine's global send-rate limit still bounds the packet rate.
public struct PingScheduler: Sendable {
    private let engine: ICMPEngine
    private let devices: [PingDevice]
    /// Fraction of the slack between round duration and interval used as per-round jitter (0...1).
    public let jitterFraction: Double

    /// Creates a scheduler for `devices`; `jitterFraction` is clamped to 0...1.
    public init(engine: ICMPEngine, devices: [PingDevice], jitterFraction: Double = 0.5) {
        self.engine = engine
        self.devices = devices
        self.jitterFraction = min(max(jitterFraction, 0), 1)
    }

    /// Results of all rounds, as they complete, until the stream's consumer stops iterating.
    /// Each call starts its own schedule.
    ///
    /// The stream buffers at most two results per device; a consumer that falls further behind
    /// loses the oldest ones.
    public func results() -> AsyncStream<PingRoundResult> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: PingRoundResult.self, bufferingPolicy: .bufferingNewest(max(16, devices.count * 2))
        )
        let task = Task { [self] in
            await run(yieldingTo: continuation)
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private struct Due: Comparable {
        var instant: ContinuousClock.Instant
        var device: Int

        static func < (lhs: Due, rhs: Due) -> Bool { lhs.instant < rhs.instant }
    }

    private func run(yieldingTo continuation: AsyncStream<PingRoundResult>.Continuation) async {
        guard !devices.isEmpty else { return }
        let clock = ContinuousClock()
        let start = clock.now
        var generator = SystemRandomNumberGenerator()
        var queue = Heap<Due>()
        for index in devices.indices {
            let interval = devices[index].configuration.roundInterval
            queue.insert(Due(instant: start + interval * Double.random(in: 0..<1, using: &generator), device: index))
        }
        while var due = queue.popMin() {
            do {
                try await clock.sleep(until: due.instant)
            } catch {
                return
            }
            let device = devices[due.device]
            engine.startRound(target: device.target, configuration: device.configuration) { continuation.yield($0) }
            let configuration = device.configuration
            let slack = configuration.roundInterval - configuration.roundDuration
            let jitter = slack * (jitterFraction * Double.random(in: -0.5...0.5, using: &generator))
            // A round started late moves its successors with it, so rounds never overlap.
            due.instant = max(due.instant, clock.now) + configuration.roundInterval + jitter
            queue.insert(due)
        }
    }
}
