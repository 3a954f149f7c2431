/// The syntax tree of a rule expression, as written (after `x >= 3 in 5 minutes` became
/// `count(x, 5m) >= 3`), with the source span of every node for error messages.
///
/// Two trees are equal only when their spans are equal too; compare `description` (the
/// canonical printed form) to compare what they mean.
public struct RuleExpression: Sendable, Equatable {
    /// What the node is.
    public indirect enum Kind: Sendable, Equatable {
        /// A plain number literal: `5`, `2.5`.
        case number(Double)
        /// A percent literal: `5%` (its value is 5, in the same unit as percentage items).
        case percent(Double)
        /// A duration literal in seconds: `10 seconds`, `5m` (its value is the number of seconds).
        case duration(seconds: Double)
        /// A string literal.
        case string(String)
        /// `TRUE` or `FALSE`.
        case boolean(Bool)
        /// An item or variable name; on its own it means the variable's last value.
        case variable(String)
        /// `-x` (numbers) or `NOT c` (conditions).
        case unary(UnaryOperator, RuleExpression)
        /// `a + b`, `a * b`…
        case arithmetic(ArithmeticOperator, RuleExpression, RuleExpression)
        /// `a > b`, `a = b`…
        case comparison(ComparisonOperator, RuleExpression, RuleExpression)
        /// `a AND b`, `a OR b`.
        case logical(LogicalOperator, RuleExpression, RuleExpression)
        /// `s LIKE 'pattern'` or `s NOT LIKE 'pattern'`.
        case like(RuleExpression, pattern: String, negated: Bool)
        /// A window function: `avg(x, 5m)`, `last(x)`, `count(x > 5, 5m)`.
        case call(RuleFunction, RuleExpression, window: Double?)
    }

    /// What the node is.
    public let kind: Kind
    /// Offsets (in Unicode scalars) of the node's first character and one past its last.
    public let range: Range<Int>

    /// A node covering `range` of the source.
    public init(_ kind: Kind, range: Range<Int>) {
        self.kind = kind
        self.range = range
    }
}

/// `-` (negation) and `NOT`.
public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "NOT"
}

/// `+ - * /` on numbers.
public enum ArithmeticOperator: String, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

/// Comparisons. `==` is written `=` in the canonical form and `<>` is written `!=`.
public enum ComparisonOperator: String, Sendable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// Whether the operator orders its operands (and so needs numbers) rather than testing equality.
    var isOrdering: Bool { self != .equal && self != .notEqual }
}

/// `AND` and `OR` (three-valued, see docs/alert-rules.md).
public enum LogicalOperator: String, Sendable {
    case and = "AND"
    case or = "OR"
}

/// The functions over a variable's samples.
public enum RuleFunction: String, Sendable, CaseIterable {
    /// Mean of the numeric samples in the window.
    case avg
    /// Smallest numeric sample in the window.
    case min
    /// Largest numeric sample in the window.
    case max
    /// The last sample at or before now (same as the bare variable).
    case last
    /// Per-second increase of a counter over the window, aware of 32-bit wraps.
    case rate
    /// How many samples fall in the window (or how many satisfy a condition).
    case count
    /// The median of the variable's baseline for the current hour of week (docs/alert-rules.md, "Baselines").
    case baseline
    /// How many baseline spreads the variable's last value (or its mean over a window) lies above
    /// the baseline's median.
    case anomaly

    /// Whether the function takes a time window as its second argument: never, always or optionally.
    var window: WindowArgument {
        switch self {
        case .last, .baseline: .none
        case .avg, .min, .max, .rate, .count: .required
        case .anomaly: .optional
        }
    }

    /// Whether a function takes a time window.
    enum WindowArgument {
        case none, required, optional
    }
}
