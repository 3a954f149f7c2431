/// One lexical token of a rule expression with the span of text it came from.
struct RuleToken: Equatable {
    /// What the token is.
    enum Kind: Equatable {
        /// A plain number: `5`, `2.5`.
        case number(Double)
        /// A number written with a percent sign: `5%` (the value stays 5).
        case percent(Double)
        /// A number with a time unit attached: `5m`, `10s` (value in seconds).
        case duration(seconds: Double)
        /// A single-quoted string with `''` standing for one quote: `'%.5'`.
        case string(String)
        /// An item name or function name: `cpu_5min`, `if.in_octets`, `avg`.
        case identifier(String)
        /// A reserved word, matched without regard to case.
        case keyword(RuleKeyword)
        /// `=`, `==`, `!=`, `<>`, `<`, `<=`, `>`, `>=`.
        case comparison(ComparisonOperator)
        /// `+`, `-`, `*`, `/`.
        case arithmetic(ArithmeticOperator)
        case leftParenthesis, rightParenthesis, comma
        /// The end of the rule text.
        case end
    }

    let kind: Kind
    /// Offsets (in Unicode scalars) of the token's first character and one past its last.
    let range: Range<Int>

    /// How the token is quoted in error messages: `'>'`, `'AND'`, `'avg'`, "the end of the rule".
    var quoted: String {
        switch kind {
        case .number(let value): "'\(RuleFormatting.number(value))'"
        case .percent(let value): "'\(RuleFormatting.number(value))%'"
        case .duration(let seconds): "'\(RuleFormatting.duration(seconds))'"
        case .string(let text): RuleFormatting.string(text)
        case .identifier(let name): "'\(name)'"
        case .keyword(let keyword): "'\(keyword.rawValue)'"
        case .comparison(let op): "'\(op.rawValue)'"
        case .arithmetic(let op): "'\(op.rawValue)'"
        case .leftParenthesis: "'('"
        case .rightParenthesis: "')'"
        case .comma: "','"
        case .end: "the end of the rule"
        }
    }
}

/// Reserved words of the rule language. They cannot name items.
enum RuleKeyword: String {
    case and = "AND"
    case or = "OR"
    case not = "NOT"
    case like = "LIKE"
    case `in` = "IN"
    case `true` = "TRUE"
    case `false` = "FALSE"
    case `for` = "FOR"
}
