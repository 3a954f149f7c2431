/// A type-checked rule lowered to three typed trees (conditions, numbers, strings) so that
/// evaluation never tests types: every type error was reported by `RuleCompiler`.
/// Variables are referred to by slot, an index into the rule's variable names.

/// Code producing a three-valued truth.
indirect enum ConditionCode: Sendable {
    case constant(Bool)
    /// The last value of a boolean variable.
    case variable(slot: Int)
    case not(ConditionCode)
    case logical(LogicalOperator, ConditionCode, ConditionCode)
    case compareNumbers(ComparisonOperator, NumberCode, NumberCode)
    /// `=` (`equal: true`) or `!=` between strings.
    case compareStrings(equal: Bool, StringCode, StringCode)
    /// `=` (`equal: true`) or `!=` between conditions.
    case compareConditions(equal: Bool, ConditionCode, ConditionCode)
    case like(StringCode, LikePattern, negated: Bool)
}

/// Code producing a number, or nothing when data is missing.
indirect enum NumberCode: Sendable {
    case constant(Double)
    /// The last value of a numeric variable.
    case variable(slot: Int)
    /// A function over the samples of one variable in a window (seconds).
    case window(WindowFunction, slot: Int, seconds: Double)
    /// How many samples of the variable in `slot` within the window satisfy the condition.
    case countWhere(ConditionCode, slot: Int, seconds: Double)
    case negate(NumberCode)
    case arithmetic(ArithmeticOperator, NumberCode, NumberCode)
    /// The median of the variable's baseline for the hour of week of now.
    case baseline(slot: Int)
    /// The anomaly score of the variable's last value, or of its mean over a window (seconds).
    case anomaly(slot: Int, seconds: Double?)
}

/// The functions that reduce a window of samples to a number (`last` reads a variable instead).
enum WindowFunction: Sendable {
    case avg, min, max, rate, count
}

/// Code producing a string, or nothing when data is missing.
enum StringCode: Sendable {
    case constant(String)
    /// The last value of a string variable.
    case variable(slot: Int)
}
