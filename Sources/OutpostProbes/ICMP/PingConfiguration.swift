/// How one device is pinged: the per-device settings of a ping round.
///
/// A round sends ``packetsPerRound`` echo requests ``packetInterval`` apart; each waits at most
/// ``timeout`` for its reply. Rounds repeat every ``roundInterval`` (used by ``PingScheduler``).
public struct PingConfiguration: Sendable, Hashable {
    /// Echo requests per round, 1...100 (default 3).
    public let packetsPerRound: Int
    /// Time between two echo requests of one round, 0...60 s (default 1 s).
    public let packetInterval: Duration
    /// How long each echo request waits for its reply, 1 ms...60 s (default 1 s).
    public let timeout: Duration
    /// Time between the starts of two rounds of one device, at most 1 day and at least
    /// the duration of a round, `(packetsPerRound - 1) * packetInterval + timeout` (default 10 s).
    public let roundInterval: Duration

    /// The accepted range of ``packetsPerRound``.
    public static let packetsPerRoundRange = 1...100
    /// The accepted range of ``packetInterval``.
    public static let packetIntervalRange = Duration.zero...Duration.seconds(60)
    /// The accepted range of ``timeout``.
    public static let timeoutRange = Duration.milliseconds(1)...Duration.seconds(60)
    /// The largest accepted ``roundInterval``.
    public static let maximumRoundInterval = Duration.seconds(86_400)

    /// Creates a configuration, validating every bound.
    public init(
        packetsPerRound: Int = 3,
        packetInterval: Duration = .seconds(1),
        timeout: Duration = .seconds(1),
        roundInterval: Duration = .seconds(10)
    ) throws(PingConfigurationError) {
        guard Self.packetsPerRoundRange.contains(packetsPerRound) else {
            throw .packetsPerRoundOutOfRange(packetsPerRound)
        }
        guard Self.packetIntervalRange.contains(packetInterval) else {
            throw .packetIntervalOutOfRange(packetInterval)
        }
        guard Self.timeoutRange.contains(timeout) else {
            throw .timeoutOutOfRange(timeout)
        }
        let roundDuration = packetInterval * (packetsPerRound - 1) + timeout
        guard roundInterval >= roundDuration, roundInterval <= Self.maximumRoundInterval else {
            throw .roundIntervalOutOfRange(roundInterval, roundDuration: roundDuration)
        }
        self.packetsPerRound = packetsPerRound
        self.packetInterval = packetInterval
        self.timeout = timeout
        self.roundInterval = roundInterval
    }

    /// The longest a round can take: the last request's send offset plus its timeout.
    public var roundDuration: Duration { packetInterval * (packetsPerRound - 1) + timeout }
}

/// Why a ``PingConfiguration`` was refused.
public enum PingConfigurationError: Error, Equatable, CustomStringConvertible {
    /// ``PingConfiguration/packetsPerRound`` outside ``PingConfiguration/packetsPerRoundRange``.
    case packetsPerRoundOutOfRange(Int)
    /// ``PingConfiguration/packetInterval`` outside ``PingConfiguration/packetIntervalRange``.
    case packetIntervalOutOfRange(Duration)
    /// ``PingConfiguration/timeout`` outside ``PingConfiguration/timeoutRange``.
    case timeoutOutOfRange(Duration)
    /// ``PingConfiguration/roundInterval`` shorter than a round or longer than a day.
    case roundIntervalOutOfRange(Duration, roundDuration: Duration)

    public var description: String {
        switch self {
        case .packetsPerRoundOutOfRange(let value):
            "packets per round \(value) outside \(PingConfiguration.packetsPerRoundRange)"
        case .packetIntervalOutOfRange(let value):
            "packet interval \(value) outside 0...60 s"
        case .timeoutOutOfRange(let value):
            "timeout \(value) outside 1 ms...60 s"
        case .roundIntervalOutOfRange(let value, let roundDuration):
            "round interval \(value) must be at least the round duration \(roundDuration) and at most 1 day"
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at `UInt64.max` (durations here are bounded far below).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
