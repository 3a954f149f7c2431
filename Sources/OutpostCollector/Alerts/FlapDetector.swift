/// Icinga/Nagios-style flap detection for one (rule, device) pair: the last `windowSize` checks'
/// states, a weighted share of state changes between consecutive checks (the newest change
/// weighs 1.5 times the oldest: 0.8 … 1.2), and hysteresis between a start and a stop threshold.
struct FlapDetector: Sendable {
    /// Thresholds and history length.
    struct Configuration: Sendable, Equatable {
        /// States kept (Icinga: 21, i.e. 20 possible changes).
        var windowSize = 21
        /// Flapping starts when the weighted change percentage rises above this.
        var startPercent = 50.0
        /// Flapping stops when it falls below this (lower than `startPercent`: hysteresis).
        var stopPercent = 30.0

        /// A configuration; `nil` unless `3 <= windowSize <= 1000` and `0 <= stop < start <= 100`.
        init?(windowSize: Int = 21, startPercent: Double = 50, stopPercent: Double = 30) {
            guard (3...1_000).contains(windowSize), stopPercent >= 0, stopPercent < startPercent, startPercent <= 100
            else { return nil }
            self.windowSize = windowSize
            self.startPercent = startPercent
            self.stopPercent = stopPercent
        }

        /// 21 states, start above 50 %, stop below 30 %.
        static let standard = Configuration()!
    }

    /// A change of the flapping state.
    enum Transition: Sendable, Equatable {
        case started, stopped
    }

    /// States of the last checks, oldest first (true: the rule held).
    private var states: [Bool] = []
    /// Whether the pair is flapping now.
    private(set) var isFlapping = false

    init() {}

    /// A detector for a pair recorded as flapping before a restart: its history reads as one
    /// change per check, so flapping stops only after enough stable checks, as it would have.
    init(restoredFlapping configuration: Configuration) {
        states = (0..<configuration.windowSize).map { $0.isMultiple(of: 2) }
        isFlapping = true
    }

    /// Weighted percentage of state changes over the kept history (0 … 100). Fewer states than
    /// the window count as no change, so a new pair needs several changes to be flapping.
    func changePercent(windowSize: Int) -> Double {
        let transitions = windowSize - 1
        guard states.count > 1 else { return 0 }
        // Transition i of the full window (0 oldest) weighs 0.8 + 0.4 * i / (transitions - 1).
        let offset = transitions - (states.count - 1)
        var weighted = 0.0
        for index in 1..<states.count where states[index] != states[index - 1] {
            let position = Double(offset + index - 1)
            weighted += 0.8 + 0.4 * position / Double(transitions - 1)
        }
        return weighted / Double(transitions) * 100
    }

    /// Adds one check's state; returns whether flapping started or stopped with it.
    mutating func record(_ state: Bool, configuration: Configuration) -> Transition? {
        states.append(state)
        if states.count > configuration.windowSize { states.removeFirst(states.count - configuration.windowSize) }
        let percent = changePercent(windowSize: configuration.windowSize)
        if !isFlapping, percent > configuration.startPercent {
            isFlapping = true
            return .started
        }
        if isFlapping, percent < configuration.stopPercent {
            isFlapping = false
            return .stopped
        }
        return nil
    }
}
