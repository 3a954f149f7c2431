/// Type-checks a syntax tree and lowers it to `ConditionCode`.
///
/// Every variable gets one type for the whole rule: the declared one if the caller declared it,
/// else the one its first use requires (AND/OR/NOT operands and the rule itself are conditions,
/// arithmetic, ordering comparisons and avg/min/max/rate arguments are numbers, LIKE subjects
/// are strings, `=`/`!=` take the type of the other side, numbers when neither side decides).
/// A later use needing another type is an error at that use.
struct RuleCompiler {
    private let scalars: [Unicode.Scalar]
    private let declared: [String: RuleValueType]
    /// Variable names by slot, in order of first appearance.
    private(set) var names: [String] = []
    private var slots: [String: Int] = [:]
    /// The type of each slot, once a use or a declaration fixed it.
    private(set) var types: [RuleValueType?] = []
    /// Where each slot's type was fixed by a use (`nil` when declared or not fixed).
    private var fixedAt: [Int?] = []

    init(scalars: [Unicode.Scalar], declared: [String: RuleValueType]) {
        self.scalars = scalars
        self.declared = declared
    }

    /// The rule's code; the whole expression must be a condition.
    mutating func compileRule(_ expression: RuleExpression) throws(RuleParseError) -> ConditionCode {
        try condition(expression, because: "a rule must be a true/false condition")
    }

    // MARK: - Conditions

    private mutating func condition(_ expression: RuleExpression, because purpose: @autoclosure () -> String)
        throws(RuleParseError) -> ConditionCode
    {
        switch expression.kind {
        case .boolean(let value):
            return .constant(value)
        case .variable(let name):
            return .variable(slot: try variable(name, as: .boolean, at: expression, because: purpose()))
        case .call(.last, let argument, _):
            return .variable(slot: try lastArgument(argument, as: .boolean, because: purpose()))
        case .unary(.not, let operand):
            return .not(try condition(operand, because: "NOT negates a condition"))
        case .logical(let op, let lhs, let rhs):
            let why = "'\(op.rawValue)' joins conditions"
            return .logical(op, try condition(lhs, because: why), try condition(rhs, because: why))
        case .comparison(let op, let lhs, let rhs):
            return try comparison(op, lhs, rhs)
        case .like(let subject, let pattern, let negated):
            let code = try string(subject, because: "LIKE matches strings")
            guard let compiled = LikePattern(pattern) else {
                throw error(
                    "the LIKE pattern ends with a lone '\\'; write '\\\\' for a backslash",
                    at: expression.range.upperBound - 1)
            }
            return .like(code, compiled, negated: negated)
        default:
            throw mismatch(expression, is: naturalType(expression) ?? .number, because: purpose())
        }
    }

    private mutating func comparison(_ op: ComparisonOperator, _ lhs: RuleExpression, _ rhs: RuleExpression)
        throws(RuleParseError) -> ConditionCode
    {
        if op.isOrdering {
            let why = "'\(op.rawValue)' compares numbers"
            return .compareNumbers(op, try number(lhs, because: why), try number(rhs, because: why))
        }
        let equal = op == .equal
        let type = naturalType(lhs) ?? naturalType(rhs) ?? .number
        let why = "'\(op.rawValue)' compares values of one type, here \(type.plural)"
        switch type {
        case .number:
            return .compareNumbers(op, try number(lhs, because: why), try number(rhs, because: why))
        case .string:
            return .compareStrings(equal: equal, try string(lhs, because: why), try string(rhs, because: why))
        case .boolean:
            return .compareConditions(equal: equal, try condition(lhs, because: why), try condition(rhs, because: why))
        }
    }

    // MARK: - Numbers

    private mutating func number(_ expression: RuleExpression, because purpose: @autoclosure () -> String)
        throws(RuleParseError) -> NumberCode
    {
        switch expression.kind {
        case .number(let value), .percent(let value), .duration(seconds: let value):
            return .constant(value)
        case .variable(let name):
            return .variable(slot: try variable(name, as: .number, at: expression, because: purpose()))
        case .unary(.negate, let operand):
            return .negate(try number(operand, because: "'-' negates numbers"))
        case .arithmetic(let op, let lhs, let rhs):
            let why = "'\(op.rawValue)' works on numbers"
            return .arithmetic(op, try number(lhs, because: why), try number(rhs, because: why))
        case .call(.last, let argument, _):
            return .variable(slot: try lastArgument(argument, as: .number, because: purpose()))
        case .call(.baseline, let argument, _):
            return .baseline(slot: try baselineArgument(of: .baseline, argument))
        case .call(.anomaly, let argument, let window):
            return .anomaly(slot: try baselineArgument(of: .anomaly, argument), seconds: window)
        case .call(.count, let argument, let window?):
            return try count(argument, window: window)
        case .call(let function, let argument, let window?):
            let reduction: WindowFunction =
                switch function {
                case .avg: .avg
                case .min: .min
                case .max: .max
                case .rate: .rate
                case .count, .last, .baseline, .anomaly:
                    preconditionFailure("\(function) is matched by the cases above")
                }
            guard case .variable(let name) = argument.kind else {
                throw error(
                    "\(function.rawValue)() takes an item name as its first argument", at: argument.range.lowerBound)
            }
            let slot = try variable(
                name, as: .number, at: argument, because: "\(function.rawValue)() works on a numeric item")
            return .window(reduction, slot: slot, seconds: window)
        default:
            throw mismatch(expression, is: naturalType(expression) ?? .number, because: purpose())
        }
    }

    /// The slot of the numeric item in `baseline(x)` or `anomaly(x[, w])`.
    private mutating func baselineArgument(of function: RuleFunction, _ argument: RuleExpression)
        throws(RuleParseError) -> Int
    {
        guard case .variable(let name) = argument.kind else {
            throw error(
                "\(function.rawValue)() takes an item name as its first argument", at: argument.range.lowerBound)
        }
        return try variable(
            name, as: .number, at: argument, because: "\(function.rawValue)() works on a numeric item")
    }

    /// `count(x, w)` counts samples of any type; `count(condition on x, w)` counts those satisfying it.
    private mutating func count(_ argument: RuleExpression, window: Double) throws(RuleParseError) -> NumberCode {
        if case .variable(let name) = argument.kind {
            return .window(.count, slot: slot(of: name), seconds: window)
        }
        let mentioned = Self.variables(in: argument)
        guard let first = mentioned.first else {
            throw error(
                "the condition of count() must refer to an item, like count(x > 5, 5m)", at: argument.range.lowerBound)
        }
        if let second = mentioned.dropFirst().first(where: { $0.name != first.name }) {
            throw error(
                "the condition of count() can refer to one item only, but it uses '\(first.name)' and '\(second.name)'",
                at: second.offset)
        }
        if let call = Self.firstCall(in: argument) {
            throw error("the condition of count() cannot contain functions; refer to the item directly", at: call)
        }
        let slot = slot(of: first.name)
        let code = try condition(
            argument, because: "count() counts the samples of an item or those satisfying a condition")
        return .countWhere(code, slot: slot, seconds: window)
    }

    // MARK: - Strings

    private mutating func string(_ expression: RuleExpression, because purpose: @autoclosure () -> String)
        throws(RuleParseError) -> StringCode
    {
        switch expression.kind {
        case .string(let text):
            return .constant(text)
        case .variable(let name):
            return .variable(slot: try variable(name, as: .string, at: expression, because: purpose()))
        case .call(.last, let argument, _):
            return .variable(slot: try lastArgument(argument, as: .string, because: purpose()))
        default:
            throw mismatch(expression, is: naturalType(expression) ?? .number, because: purpose())
        }
    }

    // MARK: - Variables and types

    /// The type an expression has whatever its context, or `nil` for a variable whose type is still open.
    private func naturalType(_ expression: RuleExpression) -> RuleValueType? {
        switch expression.kind {
        case .number, .percent, .duration, .arithmetic, .unary(.negate, _): .number
        case .string: .string
        case .boolean, .unary(.not, _), .comparison, .logical, .like: .boolean
        case .variable(let name): typeOf(name)
        case .call(.last, let argument, _):
            if case .variable(let name) = argument.kind { typeOf(name) } else { nil }
        case .call: .number
        }
    }

    private func typeOf(_ name: String) -> RuleValueType? {
        slots[name].flatMap { types[$0] } ?? declared[name]
    }

    /// The slot of `name`, created on first sight (with its declared type, if any).
    private mutating func slot(of name: String) -> Int {
        if let slot = slots[name] { return slot }
        let slot = names.count
        slots[name] = slot
        names.append(name)
        types.append(declared[name])
        fixedAt.append(nil)
        return slot
    }

    /// The slot of a variable used as `type`; fixes its type on first use, refuses a second type.
    private mutating func variable(
        _ name: String, as type: RuleValueType, at use: RuleExpression, because purpose: @autoclosure () -> String
    ) throws(RuleParseError) -> Int {
        let slot = slot(of: name)
        switch types[slot] {
        case nil:
            types[slot] = type
            fixedAt[slot] = use.range.lowerBound
        case type?:
            break
        case let other?:
            let origin =
                fixedAt[slot].map { "is \(other) (see its first use at column \(error("", at: $0).column))" }
                ?? "is declared as \(other)"
            throw error("\(purpose()), but '\(name)' \(origin)", at: use.range.lowerBound)
        }
        return slot
    }

    /// The slot of the item in `last(item)`.
    private mutating func lastArgument(
        _ argument: RuleExpression, as type: RuleValueType, because purpose: @autoclosure () -> String
    ) throws(RuleParseError) -> Int {
        guard case .variable(let name) = argument.kind else {
            throw error("last() takes an item name as its argument", at: argument.range.lowerBound)
        }
        return try variable(name, as: type, at: argument, because: purpose())
    }

    private static func variables(in expression: RuleExpression) -> [(name: String, offset: Int)] {
        switch expression.kind {
        case .variable(let name): [(name, expression.range.lowerBound)]
        case .unary(_, let operand), .like(let operand, _, _), .call(_, let operand, _): variables(in: operand)
        case .arithmetic(_, let lhs, let rhs), .comparison(_, let lhs, let rhs), .logical(_, let lhs, let rhs):
            variables(in: lhs) + variables(in: rhs)
        case .number, .percent, .duration, .string, .boolean: []
        }
    }

    private static func firstCall(in expression: RuleExpression) -> Int? {
        switch expression.kind {
        case .call: expression.range.lowerBound
        case .unary(_, let operand), .like(let operand, _, _): firstCall(in: operand)
        case .arithmetic(_, let lhs, let rhs), .comparison(_, let lhs, let rhs), .logical(_, let lhs, let rhs):
            firstCall(in: lhs) ?? firstCall(in: rhs)
        case .variable, .number, .percent, .duration, .string, .boolean: nil
        }
    }

    // MARK: - Errors

    private func mismatch(_ expression: RuleExpression, is actual: RuleValueType, because purpose: String)
        -> RuleParseError
    {
        let range = expression.range
        let text = range.count <= 40 ? String(String.UnicodeScalarView(scalars[range])) : "this expression"
        return error("\(purpose), but \(text) is \(actual)", at: range.lowerBound)
    }

    private func error(_ message: String, at offset: Int) -> RuleParseError {
        RuleParseError(message, at: offset, in: scalars)
    }
}
