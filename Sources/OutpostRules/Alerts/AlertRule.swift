/// An alert rule expression, parsed and type-checked once, evaluated many times.
///
/// ```swift
/// let rule = try AlertRule("status_changes >= 3 in 5 minutes")
/// rule.evaluate(RuleWindows(now: now, series: ["status_changes": samples]))  // .true, .false or .unknown
/// ```
/// The language is described in docs/alert-rules.md.
public struct AlertRule: Sendable {
    /// The text the rule was built from.
    public let source: String
    /// The parsed expression (print it for the canonical form), without its `FOR` clause.
    public let syntax: RuleExpression
    /// Seconds the condition must hold before the alert fires (`… FOR 2m`); 0 fires at once.
    public let holdSeconds: Double
    /// The variables the rule reads, in order of first appearance: the names a context must provide.
    public let variables: [String]
    /// The type each variable has in this rule; a variable only counted with `count(x, w)` has none.
    public let variableTypes: [String: RuleValueType]
    private let program: ConditionCode

    /// Parses and type-checks `source`. `declaredTypes` fixes the types of known variables
    /// (e.g. `["ip": .string, "isp_link": .boolean]`); others take the type their first use needs.
    /// - Throws: `RuleParseError` with the position of the first problem.
    public init(_ source: String, declaredTypes: [String: RuleValueType] = [:]) throws(RuleParseError) {
        let scalars = Array(source.unicodeScalars)
        let parsed = try RuleParser.parse(scalars)
        var compiler = RuleCompiler(scalars: scalars, declared: declaredTypes)
        program = try compiler.compileRule(parsed.expression)
        self.source = source
        syntax = parsed.expression
        holdSeconds = parsed.holdSeconds
        variables = compiler.names
        var types: [String: RuleValueType] = [:]
        for (name, type) in zip(compiler.names, compiler.types) { types[name] = type }
        variableTypes = types
    }

    /// Whether the rule holds in `context`: `.unknown` when data it needs is missing.
    public func evaluate<Context: RuleContext>(_ context: Context) -> RuleOutcome {
        RuleEvaluator(context: context, names: variables).condition(program)
    }
}

extension RuleExpression {
    /// Parses `source` without type-checking it (use `AlertRule` to get a rule that can be evaluated);
    /// a trailing `FOR <duration>` is accepted and not part of the expression.
    /// - Throws: `RuleParseError` with the position of the first syntax error.
    public static func parse(_ source: String) throws(RuleParseError) -> RuleExpression {
        try RuleParser.parse(Array(source.unicodeScalars)).expression
    }
}
