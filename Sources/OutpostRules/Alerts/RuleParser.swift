/// Recursive-descent parser for rule expressions (grammar in docs/alert-rules.md).
///
/// Precedence from loosest to tightest: OR, AND, NOT, comparison (including LIKE and the
/// `in <window>` suffix), `+ -`, `* /`, unary minus. Comparisons do not chain.
struct RuleParser {
    /// Deepest nesting of parentheses, NOT and unary minus accepted, so that hostile input
    /// cannot exhaust the stack.
    static let maximumDepth = 64
    /// Longest rule text accepted, in Unicode scalars (`alert_rules.expression` holds 500
    /// characters); it also bounds the depth of left-nested trees such as `a + a + … + a`.
    static let maximumLength = 1_000

    private let scalars: [Unicode.Scalar]
    private let tokens: [RuleToken]
    private var position = 0
    private var depth = 0

    private init(scalars: [Unicode.Scalar]) throws(RuleParseError) {
        self.scalars = scalars
        self.tokens = try RuleLexer.tokens(of: scalars)
    }

    /// A parsed rule: its condition and how long the condition must hold (`FOR 2m`).
    struct ParsedRule {
        /// The condition.
        let expression: RuleExpression
        /// Seconds the condition must hold before the alert fires; 0 without a `FOR` clause.
        let holdSeconds: Double
    }

    /// The syntax tree of `scalars` with its `FOR` clause, or the first error with its position.
    static func parse(_ scalars: [Unicode.Scalar]) throws(RuleParseError) -> ParsedRule {
        guard scalars.count <= maximumLength else {
            throw RuleParseError(
                "the rule is too long: \(scalars.count) characters, at most \(maximumLength)", at: maximumLength,
                in: scalars)
        }
        var parser = try RuleParser(scalars: scalars)
        if parser.current.kind == .end {
            throw parser.error("the rule is empty; write a condition like ping_unreachable >= 5", at: parser.current)
        }
        let expression = try parser.orExpression()
        let holdSeconds = try parser.forClause()
        guard parser.current.kind == .end else {
            if parser.current.kind == .rightParenthesis {
                throw parser.error("unbalanced ')': no '(' opens it", at: parser.current)
            }
            throw parser.error(
                "unexpected \(parser.current.quoted) after \(parser.previous.quoted); join conditions with AND or OR",
                at: parser.current)
        }
        return ParsedRule(expression: expression, holdSeconds: holdSeconds)
    }

    /// `FOR <duration>` after the whole condition: seconds it must hold; 0 when absent.
    private mutating func forClause() throws(RuleParseError) -> Double {
        guard current.kind == .keyword(.for) else { return 0 }
        advance()
        let seconds = try timeWindow(after: "'FOR'").seconds
        guard current.kind == .end else {
            throw error("'FOR <duration>' ends the rule; found \(current.quoted) after it", at: current)
        }
        return seconds
    }

    // MARK: - Conditions

    private mutating func orExpression() throws(RuleParseError) -> RuleExpression {
        var lhs = try andExpression()
        while current.kind == .keyword(.or) {
            let op = advance()
            let rhs = try operand(after: op, expecting: "a condition") { (parser) throws(RuleParseError) in
                try parser.andExpression()
            }
            lhs = RuleExpression(.logical(.or, lhs, rhs), range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    private mutating func andExpression() throws(RuleParseError) -> RuleExpression {
        var lhs = try notExpression()
        while current.kind == .keyword(.and) {
            let op = advance()
            let rhs = try operand(after: op, expecting: "a condition") { (parser) throws(RuleParseError) in
                try parser.notExpression()
            }
            lhs = RuleExpression(.logical(.and, lhs, rhs), range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    private mutating func notExpression() throws(RuleParseError) -> RuleExpression {
        guard current.kind == .keyword(.not) else { return try comparison() }
        let op = advance()
        let operand = try nested(at: op) { (parser) throws(RuleParseError) in
            try parser.operand(after: op, expecting: "a condition") { (parser) throws(RuleParseError) in
                try parser.notExpression()
            }
        }
        return RuleExpression(.unary(.not, operand), range: op.range.lowerBound..<operand.range.upperBound)
    }

    /// `a op b`, `a op b IN window`, `a [NOT] LIKE 'pattern'`, or just `a`.
    private mutating func comparison() throws(RuleParseError) -> RuleExpression {
        let lhs = try additive()
        switch current.kind {
        case .comparison(let op):
            let opToken = advance()
            let rhs = try operand(after: opToken, expecting: op.isOrdering ? "a number" : "a value") {
                (parser) throws(RuleParseError) in try parser.additive()
            }
            if case .comparison = current.kind {
                throw error("comparisons cannot be chained; combine them with AND, like a > 1 AND a < 5", at: current)
            }
            guard current.kind == .keyword(.in) else {
                return RuleExpression(.comparison(op, lhs, rhs), range: lhs.range.lowerBound..<rhs.range.upperBound)
            }
            return try countInWindow(op, lhs, rhs)
        case .keyword(.like):
            advance()
            return try like(lhs, negated: false)
        case .keyword(.not) where next.kind == .keyword(.like):
            advance()
            advance()
            return try like(lhs, negated: true)
        case .keyword(.in):
            throw error(
                "'IN <window>' follows a comparison with an item name on its left, like status_changes >= 3 in 5 minutes",
                at: current)
        default:
            return lhs
        }
    }

    /// `x op n IN window`, which means `count(x, window) op n`.
    private mutating func countInWindow(_ op: ComparisonOperator, _ lhs: RuleExpression, _ rhs: RuleExpression)
        throws(RuleParseError) -> RuleExpression
    {
        advance()
        guard case .variable = lhs.kind else {
            throw error(
                "'IN <window>' counts the samples of an item, so the left side of '\(op.rawValue)' must be an item name, like status_changes >= 3 in 5 minutes",
                at: lhs.range.lowerBound)
        }
        let window = try timeWindow(after: "'IN'")
        let count = RuleExpression(.call(.count, lhs, window: window.seconds), range: lhs.range.lowerBound..<window.end)
        return RuleExpression(.comparison(op, count, rhs), range: lhs.range.lowerBound..<window.end)
    }

    private mutating func like(_ subject: RuleExpression, negated: Bool) throws(RuleParseError) -> RuleExpression {
        guard case .string(let pattern) = current.kind else {
            throw error("expected a quoted pattern like '%.5' after 'LIKE'", at: current)
        }
        let end = advance().range.upperBound
        return RuleExpression(.like(subject, pattern: pattern, negated: negated), range: subject.range.lowerBound..<end)
    }

    // MARK: - Numbers

    private mutating func additive() throws(RuleParseError) -> RuleExpression {
        var lhs = try multiplicative()
        while case .arithmetic(let op) = current.kind, op == .add || op == .subtract {
            let opToken = advance()
            let rhs = try operand(after: opToken, expecting: "a number") { (parser) throws(RuleParseError) in
                try parser.multiplicative()
            }
            lhs = RuleExpression(.arithmetic(op, lhs, rhs), range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    private mutating func multiplicative() throws(RuleParseError) -> RuleExpression {
        var lhs = try unary()
        while case .arithmetic(let op) = current.kind, op == .multiply || op == .divide {
            let opToken = advance()
            let rhs = try operand(after: opToken, expecting: "a number") { (parser) throws(RuleParseError) in
                try parser.unary()
            }
            lhs = RuleExpression(.arithmetic(op, lhs, rhs), range: lhs.range.lowerBound..<rhs.range.upperBound)
        }
        return lhs
    }

    private mutating func unary() throws(RuleParseError) -> RuleExpression {
        guard current.kind == .arithmetic(.subtract) else { return try primary() }
        let op = advance()
        let operand = try nested(at: op) { (parser) throws(RuleParseError) in
            try parser.operand(after: op, expecting: "a number") { (parser) throws(RuleParseError) in try parser.unary()
            }
        }
        return RuleExpression(.unary(.negate, operand), range: op.range.lowerBound..<operand.range.upperBound)
    }

    // MARK: - Primaries

    private mutating func primary() throws(RuleParseError) -> RuleExpression {
        let token = current
        switch token.kind {
        case .number, .duration:
            let literal = durationLiteral()
            if let seconds = literal.seconds {
                return RuleExpression(.duration(seconds: seconds), range: token.range.lowerBound..<literal.end)
            }
            return RuleExpression(.number(literal.number), range: token.range)
        case .percent(let value):
            advance()
            return RuleExpression(.percent(value), range: token.range)
        case .string(let text):
            advance()
            return RuleExpression(.string(text), range: token.range)
        case .keyword(.true), .keyword(.false):
            advance()
            return RuleExpression(.boolean(token.kind == .keyword(.true)), range: token.range)
        case .identifier(let name):
            advance()
            if current.kind == .leftParenthesis { return try call(name, at: token) }
            return BaselineVariables.expansion(of: name, at: token.range)
                ?? RuleExpression(.variable(name), range: token.range)
        case .leftParenthesis:
            advance()
            let inner = try nested(at: token) { (parser) throws(RuleParseError) in try parser.orExpression() }
            guard current.kind == .rightParenthesis else {
                throw error(
                    "unbalanced '(': expected ')' to close the '(' of column \(column(of: token.range.lowerBound)), found \(current.quoted)",
                    at: current)
            }
            let close = advance()
            return RuleExpression(inner.kind, range: token.range.lowerBound..<close.range.upperBound)
        default:
            throw error("expected a value, found \(token.quoted)", at: token)
        }
    }

    /// `avg(x, 5m)`, `last(x)`, `count(x > 5, 10 minutes)`.
    private mutating func call(_ name: String, at nameToken: RuleToken) throws(RuleParseError) -> RuleExpression {
        guard let function = RuleFunction(rawValue: name.lowercased()) else {
            let known = RuleFunction.allCases.map { $0.rawValue + "()" }.joined(separator: ", ")
            throw error("unknown function '\(name)'; the functions are \(known)", at: nameToken)
        }
        let open = advance()
        guard current.kind != .rightParenthesis else {
            throw error("\(function.rawValue)() needs an item name as its first argument", at: current)
        }
        let argument = try nested(at: open) { (parser) throws(RuleParseError) in try parser.orExpression() }
        var window: Double?
        if current.kind == .comma {
            let comma = advance()
            guard function.window != .none else {
                throw error(
                    "\(function.rawValue)() takes only an item name, like \(function.rawValue)(x); it has no time window",
                    at: comma)
            }
            let seconds = try timeWindow(after: "',' in \(function.rawValue)()").seconds
            window = seconds
            if current.kind == .comma {
                throw error("\(function.rawValue)() takes 2 arguments, an item name and a time window", at: current)
            }
        } else if function.window == .required, current.kind == .rightParenthesis {
            throw error(
                "\(function.rawValue)() needs a time window as its second argument, like \(function.rawValue)(x, 5m)",
                at: current)
        }
        guard current.kind == .rightParenthesis else {
            throw error("expected ')' to close \(function.rawValue)(, found \(current.quoted)", at: current)
        }
        let close = advance()
        return RuleExpression(
            .call(function, argument, window: window), range: nameToken.range.lowerBound..<close.range.upperBound)
    }

    /// The current number token, with the unit word after it if there is one (`10 seconds`), or the
    /// current duration token (`5m`); `seconds` is `nil` for a number without unit.
    /// The current token must be a number or a duration.
    private mutating func durationLiteral() -> (number: Double, seconds: Double?, end: Int) {
        let token = advance()
        switch token.kind {
        case .duration(let seconds):
            return (seconds, seconds, token.range.upperBound)
        case .number(let value):
            if case .identifier(let word) = current.kind, let perUnit = DurationUnit.seconds(in: word) {
                return (value, value * perUnit, advance().range.upperBound)
            }
            return (value, nil, token.range.upperBound)
        default:
            preconditionFailure("durationLiteral() called on \(token.kind)")
        }
    }

    /// A positive time window with its unit, as `IN` and window functions require.
    private mutating func timeWindow(after what: String) throws(RuleParseError) -> (seconds: Double, end: Int) {
        let start = current
        switch start.kind {
        case .number, .duration:
            if case .identifier(let word) = next.kind, case .number = start.kind, DurationUnit.seconds(in: word) == nil
            {
                throw error("unknown time unit '\(word)'; \(DurationUnit.hint)", at: next)
            }
            let literal = durationLiteral()
            guard let seconds = literal.seconds else {
                let number = RuleFormatting.number(literal.number)
                throw error("the time window \(number) needs a unit, like \(number)m or \(number) minutes", at: start)
            }
            guard seconds > 0 else { throw error("a time window must be longer than 0 seconds", at: start) }
            return (seconds, literal.end)
        default:
            throw error("expected a time window like 5m after \(what), found \(start.quoted)", at: start)
        }
    }

    // MARK: - Helpers

    /// Parses the operand after an operator token, turning "nothing usable here" into
    /// "expected <what> after '<op>'".
    private mutating func operand(
        after op: RuleToken, expecting what: String,
        _ parse: (inout RuleParser) throws(RuleParseError) -> RuleExpression
    ) throws(RuleParseError) -> RuleExpression {
        if Self.cannotStartOperand(current.kind) {
            throw error("expected \(what) after \(op.quoted), found \(current.quoted)", at: current)
        }
        return try parse(&self)
    }

    /// Runs `parse` one nesting level deeper, refusing input nested beyond `maximumDepth`.
    private mutating func nested(
        at token: RuleToken, _ parse: (inout RuleParser) throws(RuleParseError) -> RuleExpression
    ) throws(RuleParseError) -> RuleExpression {
        guard depth < Self.maximumDepth else {
            throw error("the rule is nested too deeply (more than \(Self.maximumDepth) levels)", at: token)
        }
        depth += 1
        defer { depth -= 1 }
        return try parse(&self)
    }

    private static func cannotStartOperand(_ kind: RuleToken.Kind) -> Bool {
        switch kind {
        case .end, .rightParenthesis, .comma, .comparison, .keyword(.and), .keyword(.or), .keyword(.like),
            .keyword(.in), .keyword(.for):
            true
        case .arithmetic(let op):
            op != .subtract
        default:
            false
        }
    }

    private var current: RuleToken { tokens[position] }
    private var next: RuleToken { tokens[min(position + 1, tokens.count - 1)] }
    private var previous: RuleToken { tokens[max(position - 1, 0)] }

    @discardableResult
    private mutating func advance() -> RuleToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func column(of offset: Int) -> Int {
        RuleParseError("", at: offset, in: scalars).column
    }

    private func error(_ message: String, at token: RuleToken) -> RuleParseError {
        RuleParseError(message, at: token.range.lowerBound, in: scalars)
    }

    private func error(_ message: String, at offset: Int) -> RuleParseError {
        RuleParseError(message, at: offset, in: scalars)
    }
}
