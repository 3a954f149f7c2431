import Foundation
import OutpostRules

/// SplitMix64, so every series is replayable from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

/// A kind of link: its usual RTT, how much of a weekday business-hours bump it has, its jitter
/// and its harmless one-round spikes.
struct LinkProfile {
    let name: String
    /// RTT at night and at weekends (ms).
    let base: Double
    /// Extra RTT at the peak of weekday business hours, 08:00–18:00 UTC (ms).
    let businessBump: Double
    /// Jitter: the RTT of a round is the level times exp(jitter × N(0, 1)).
    let jitter: Double
    /// Share of rounds with a one-round spike (× 3 to × 6): noise, not an anomaly.
    let spikeRounds: Double
    /// RTT factor during the weekly backups (Wednesday and Saturday 02:00–03:00 UTC), every
    /// week, learned too: usual, not an anomaly (1: no backups).
    let backupFactor: Double

    static let all = [
        LinkProfile(name: "steady LAN", base: 0.8, businessBump: 0.2, jitter: 0.15, spikeRounds: 0, backupFactor: 1),
        LinkProfile(name: "daily pattern", base: 20, businessBump: 25, jitter: 0.08, spikeRounds: 0, backupFactor: 2.5),
        LinkProfile(name: "noisy link", base: 45, businessBump: 30, jitter: 0.35, spikeRounds: 0.01, backupFactor: 2),
        LinkProfile(name: "satellite", base: 600, businessBump: 80, jitter: 0.05, spikeRounds: 0.002, backupFactor: 1),
    ]

    /// The level (ms) at `time`, before jitter.
    func level(at time: Date) -> Double {
        let hour = HourOfWeek.of(time)
        let dayHour = Double(hour % 24) + time.timeIntervalSince1970.truncatingRemainder(dividingBy: 3_600) / 3_600
        let business = hour < 5 * 24 && dayHour >= 8 && dayHour < 18 ? sin(Double.pi * (dayHour - 8) / 10) : 0
        let backup = hour == 2 * 24 + 2 || hour == 5 * 24 + 2 ? backupFactor : 1
        return (base + businessBump * business) * backup
    }
}

/// An injected anomaly: the level is multiplied by `factor` over `range`.
struct InjectedAnomaly {
    enum Kind: String { case shift, spike }
    let kind: Kind
    let range: Range<Date>
    let factor: Double
}

/// One synthetic series: a profile, a seed, four training weeks and a test week with anomalies.
struct SyntheticSeries {
    let profile: LinkProfile
    let seed: UInt64
    /// Seconds between rounds (the agent's default).
    static let round = 10.0
    /// Monday 2026-11-02 00:00 UTC: the first training week.
    static let start = Date(timeIntervalSince1970: 1_793_577_600)
    static let trainingWeeks = 4
    static var testStart: Date { start.addingTimeInterval(Double(trainingWeeks) * 7 * 86_400) }

    /// The anomalies of the test week: 3 shifts (× 1.8 to × 3, 30 minutes to 3 hours) and 3
    /// spikes (× 4 to × 8, 10 to 20 minutes) at random times, day or night, apart from each other.
    func anomalies() -> [InjectedAnomaly] {
        var random = SeededRandom(seed: seed &* 31 &+ 7)
        var placed: [InjectedAnomaly] = []
        let kinds: [InjectedAnomaly.Kind] = [.shift, .shift, .shift, .spike, .spike, .spike]
        for kind in kinds {
            while true {
                let offset = Double.random(in: 3_600..<(7 * 86_400 - 4 * 3_600), using: &random)
                let duration =
                    kind == .shift
                    ? Double.random(in: 1_800...10_800, using: &random) : Double.random(in: 600...1_200, using: &random)
                let factor =
                    kind == .shift
                    ? Double.random(in: 1.8...3, using: &random) : Double.random(in: 4...8, using: &random)
                let from = Self.testStart.addingTimeInterval(offset)
                let range = from..<from.addingTimeInterval(duration)
                let apart = placed.allSatisfy {
                    range.upperBound.addingTimeInterval(3_600) < $0.range.lowerBound
                        || $0.range.upperBound.addingTimeInterval(3_600) < range.lowerBound
                }
                if apart {
                    placed.append(InjectedAnomaly(kind: kind, range: range, factor: factor))
                    break
                }
            }
        }
        return placed.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The RTT of every round from `from` for `seconds`, with `anomalies` applied.
    func rounds(from: Date, seconds: Double, anomalies: [InjectedAnomaly], random: inout SeededRandom) -> [RuleSample] {
        let count = Int(seconds / Self.round)
        var samples: [RuleSample] = []
        samples.reserveCapacity(count)
        for index in 0..<count {
            let time = from.addingTimeInterval(Double(index) * Self.round)
            var level = profile.level(at: time)
            if let anomaly = anomalies.first(where: { $0.range.contains(time) }) { level *= anomaly.factor }
            var rtt = level * exp(profile.jitter * random.gaussian())
            if profile.spikeRounds > 0, Double.random(in: 0..<1, using: &random) < profile.spikeRounds {
                rtt *= Double.random(in: 3...6, using: &random)
            }
            samples.append(RuleSample(time, .number(rtt)))
        }
        return samples
    }
}
