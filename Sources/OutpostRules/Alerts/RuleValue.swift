import Foundation

/// The three types of values in a rule. Durations and percentages are numbers.
public enum RuleValueType: String, Sendable, CustomStringConvertible {
    case number, string, boolean

    /// "a number", "a string", "a true/false condition", for error messages.
    public var description: String {
        switch self {
        case .number: "a number"
        case .string: "a string"
        case .boolean: "a true/false condition"
        }
    }

    /// "numbers", "strings", "conditions".
    var plural: String {
        switch self {
        case .number: "numbers"
        case .string: "strings"
        case .boolean: "conditions"
        }
    }
}

/// One value a variable took: a number (gauges, counters, milliseconds, percentages, seconds),
/// a string (addresses, states) or a boolean (flags).
public enum RuleValue: Sendable, Equatable {
    case number(Double)
    case string(String)
    case boolean(Bool)
}

/// One observation of a variable: its value at `timestamp` (UTC).
public struct RuleSample: Sendable, Equatable {
    /// When the value was observed.
    public var timestamp: Date
    /// The observed value.
    public var value: RuleValue

    /// A sample of `value` at `timestamp`.
    public init(_ timestamp: Date, _ value: RuleValue) {
        self.timestamp = timestamp
        self.value = value
    }
}

/// The result of evaluating a rule: SQL-style three-valued logic, where `unknown` means the
/// data needed to decide is missing (no sample, too few samples for `rate`, division by zero).
public enum RuleOutcome: Sendable, Equatable {
    case `true`, `false`, unknown

    /// Kleene negation: NOT unknown is unknown.
    var negated: RuleOutcome {
        switch self {
        case .true: .false
        case .false: .true
        case .unknown: .unknown
        }
    }

    /// `.true` or `.false`.
    init(_ value: Bool) {
        self = value ? .true : .false
    }
}
