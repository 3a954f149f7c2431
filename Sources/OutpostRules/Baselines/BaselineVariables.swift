/// The names the rule language gives baselines and anomaly scores (docs/alert-rules.md,
/// "Baselines"): shorthands for `baseline()` and `anomaly()` calls on the ping variables, and
/// the smallest spreads of their scores.
public enum BaselineVariables {
    /// The round-trip time variable (ms) whose baseline `baseline_rtt` is.
    public static let rtt = "rtt"
    /// The packet loss variable (percent) whose baseline `baseline_loss` is.
    public static let loss = "packet_loss"
    /// An RTT anomaly score divides by at least this many milliseconds.
    public static let rttMinimumSpread = 0.1
    /// A loss anomaly score divides by at least this many percentage points.
    public static let lossMinimumSpread = 1.0
    /// The window whose mean `rtt_anomaly` and `loss_anomaly` score: 5 minutes.
    public static let anomalyWindowSeconds = 300.0
    /// The anomaly score above which an anomaly rule fires by default (`rtt_anomaly > 4`).
    public static let defaultAnomalyThreshold = 4.0

    /// What each shorthand stands for: `baseline_rtt` is `baseline(rtt)`, `rtt_anomaly` is
    /// `anomaly(rtt, 5m)`, and the same for loss.
    static let shorthands: [String: (function: RuleFunction, variable: String, window: Double?)] = [
        "baseline_rtt": (.baseline, rtt, nil),
        "baseline_loss": (.baseline, loss, nil),
        "rtt_anomaly": (.anomaly, rtt, anomalyWindowSeconds),
        "loss_anomaly": (.anomaly, loss, anomalyWindowSeconds),
    ]

    /// The call a shorthand name written at `range` stands for, or `nil` for any other name.
    static func expansion(of name: String, at range: Range<Int>) -> RuleExpression? {
        guard let shorthand = shorthands[name] else { return nil }
        let argument = RuleExpression(.variable(shorthand.variable), range: range)
        return RuleExpression(.call(shorthand.function, argument, window: shorthand.window), range: range)
    }
}
