import OutpostProbes

/// The ICMP send rate a configuration needs, and the round interval that fits under the
/// link's ceiling (docs/architecture.md, "Agent ICMP send rate").
///
/// The demand is `devices × packets per round / round interval`. The engine's rate is the
/// demand times ``headroom``, at least ``floorPacketsPerSecond`` and at most the ceiling. When
/// the demand itself exceeds the ceiling the configuration cannot fit: the round interval is
/// stretched by `demand / ceiling × ` ``stretchMargin`` (rounded up to whole seconds), so rounds
/// are spread a little below the ceiling's pace instead of queueing in the engine without bound. The stretched interval is capped at a day (the longest
/// a ``PingConfiguration`` takes); devices beyond what even that fits are not pinged.
public struct PingRatePlan: Sendable, Equatable {
    /// Rate over demand: devices start at random phases and each round moves by a random
    /// jitter, so over a short window echo requests arrive like a Poisson stream; served at
    /// 1.5× the mean rate (utilisation 2/3), the mean wait behind the limit is one request
    /// interval (at most 0.5 ms above the floor) instead of growing as utilisation nears 1,
    /// and a third of the rate is left for discovery sweeps sharing the engine.
    public static let headroom = 1.5
    /// The lowest rate set, unless the ceiling is lower: the engine's former fixed rate, which
    /// discovery sweeps (up to 256 addresses in flight) were sized against; 2,000 × 84 bytes
    /// is about 1.3 Mbit/s.
    public static let floorPacketsPerSecond = 2_000
    /// Stretched rounds ask at most 1 / 1.1 (91 %) of the ceiling, which is then the rate: at
    /// exactly 100 % a random-phase stream queues without bound; at 91 % the mean wait behind the
    /// limit stays a few request intervals (5 of them for a Poisson stream).
    public static let stretchMargin = 1.1
    /// The default ceiling: 50,000 devices × 3 packets every 10 s (15,000 packets/s) fit with a
    /// third to spare; 20,000 echo requests of 84 bytes are about 13.4 Mbit/s, and only a
    /// configuration that large sends them. A branch whose targets sit behind a thinner link
    /// sets a lower one (`icmp_max_packets_per_second`).
    public static let defaultCeilingPacketsPerSecond = 20_000
    /// The accepted ceilings: at least 10 packets/s, at most what the engine accepts.
    public static let ceilingRange = 10...ICMPEngineConfiguration.maxPacketsPerSecondRange.upperBound

    /// Devices of the configuration with a valid ping target.
    public let devices: Int
    /// Echo requests per round.
    public let packetsPerRound: Int
    /// The round interval the configuration asks for.
    public let configuredInterval: Duration
    /// The most echo requests per second the agent may send.
    public let ceilingPacketsPerSecond: Int
    /// Echo requests per second the configuration asks for at its own interval.
    public let demandPacketsPerSecond: Double
    /// The rate set on the engine.
    public let sendRatePacketsPerSecond: Int
    /// The round interval used: the configured one, or stretched when the demand exceeds the ceiling.
    public let roundInterval: Duration
    /// Devices pinged: all of them, unless even a day's interval cannot fit them under the ceiling.
    public let devicesPinged: Int

    /// Whether the configuration's demand fits under the ceiling at its own interval.
    public var fits: Bool { demandPacketsPerSecond <= Double(ceilingPacketsPerSecond) }

    /// Plans `devices` pinged with `packetsPerRound` every `roundInterval` under
    /// `ceilingPacketsPerSecond` (clamped to ``ceilingRange``); a non-positive interval counts as
    /// a millisecond.
    public init(devices: Int, packetsPerRound: Int, roundInterval: Duration, ceilingPacketsPerSecond: Int) {
        let ceiling = min(max(ceilingPacketsPerSecond, Self.ceilingRange.lowerBound), Self.ceilingRange.upperBound)
        let devices = max(devices, 0)
        let packets = max(packetsPerRound, 1)
        let interval = max(roundInterval, .milliseconds(1))
        let seconds = Self.seconds(interval)
        let demand = Double(devices) * Double(packets) / seconds
        self.devices = devices
        self.packetsPerRound = packets
        configuredInterval = interval
        self.ceilingPacketsPerSecond = ceiling
        demandPacketsPerSecond = demand
        let wanted = max((demand * Self.headroom).rounded(.up), Double(Self.floorPacketsPerSecond))
        sendRatePacketsPerSecond = Int(min(wanted, Double(ceiling)))
        guard demand > Double(ceiling) else {
            self.roundInterval = interval
            devicesPinged = devices
            return
        }
        // Packets per round over the ceiling: the interval that sends them at the ceiling's pace.
        let longest = Self.seconds(PingConfiguration.maximumRoundInterval)
        let stretched = Double(devices) * Double(packets) / Double(ceiling) * Self.stretchMargin
        if stretched <= longest {
            // Whole seconds, so that a device more or less rarely changes the interval: a changed
            // interval reschedules every device.
            self.roundInterval = max(interval, .seconds(Int64(stretched.rounded(.up))))
            devicesPinged = devices
        } else {
            self.roundInterval = PingConfiguration.maximumRoundInterval
            devicesPinged = Int(longest * Double(ceiling) / Double(packets) / Self.stretchMargin)
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
