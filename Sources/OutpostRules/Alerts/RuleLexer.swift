/// Splits a rule's text into tokens, each with its source span.
///
/// Written by hand (no parsing library is among the project's dependencies, and the language
/// is small): one pass over the Unicode scalars, no backtracking.
struct RuleLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    /// A lexer over `scalars`, the rule's text.
    init(_ scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// Every token of the text, ending with one `.end` token.
    static func tokens(of scalars: [Unicode.Scalar]) throws(RuleParseError) -> [RuleToken] {
        var lexer = RuleLexer(scalars)
        var tokens: [RuleToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    /// The next token, or `.end` once the text is exhausted.
    mutating func next() throws(RuleParseError) -> RuleToken {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let start = index
        guard index < scalars.count else { return RuleToken(kind: .end, range: start..<start) }
        let scalar = scalars[index]
        let kind: RuleToken.Kind
        if Self.isDigit(scalar) {
            kind = try numberLiteral()
        } else if Self.startsName(scalar) {
            let name = readName()
            kind = RuleKeyword(rawValue: name.uppercased()).map { .keyword($0) } ?? .identifier(name)
        } else if scalar == "'" {
            kind = try stringLiteral()
        } else {
            kind = try punctuation()
        }
        return RuleToken(kind: kind, range: start..<index)
    }

    // MARK: - Literals

    /// `5`, `2.5`, `5%`, `5m`, `10seconds`.
    private mutating func numberLiteral() throws(RuleParseError) -> RuleToken.Kind {
        let start = index
        var text = ""
        while index < scalars.count, Self.isDigit(scalars[index]) {
            text.unicodeScalars.append(scalars[index])
            index += 1
        }
        if index + 1 < scalars.count, scalars[index] == ".", Self.isDigit(scalars[index + 1]) {
            text.unicodeScalars.append(".")
            index += 1
            while index < scalars.count, Self.isDigit(scalars[index]) {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        guard let value = Double(text), value.isFinite else {
            throw RuleParseError("the number \(text) is too large", at: start, in: scalars)
        }
        if index < scalars.count, scalars[index] == "%" {
            index += 1
            return .percent(value)
        }
        guard index < scalars.count, Self.startsName(scalars[index]) else { return .number(value) }
        let unitStart = index
        let unit = readName()
        guard let perUnit = DurationUnit.seconds(in: unit) else {
            throw RuleParseError(
                "unknown time unit '\(unit)' after \(text); \(DurationUnit.hint)", at: unitStart, in: scalars)
        }
        return .duration(seconds: value * perUnit)
    }

    /// `'text'`, where `''` stands for one quote.
    private mutating func stringLiteral() throws(RuleParseError) -> RuleToken.Kind {
        let start = index
        index += 1
        var text = ""
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "'" {
                guard index < scalars.count, scalars[index] == "'" else { return .string(text) }
                index += 1
            }
            text.unicodeScalars.append(scalar)
        }
        throw RuleParseError("unterminated string: no closing ' for the quote", at: start, in: scalars)
    }

    /// An item, function or keyword name: letters, digits, `_` and `.`, not starting with a digit or dot.
    private mutating func readName() -> String {
        var name = ""
        while index < scalars.count, Self.continuesName(scalars[index]) {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        return name
    }

    // MARK: - Operators

    private mutating func punctuation() throws(RuleParseError) -> RuleToken.Kind {
        let start = index
        let scalar = scalars[index]
        index += 1
        let following = index < scalars.count ? scalars[index] : nil
        func pair(_ kind: RuleToken.Kind) -> RuleToken.Kind {
            index += 1
            return kind
        }
        switch (scalar, following) {
        case ("(", _): return .leftParenthesis
        case (")", _): return .rightParenthesis
        case (",", _): return .comma
        case ("+", _): return .arithmetic(.add)
        case ("-", _): return .arithmetic(.subtract)
        case ("*", _): return .arithmetic(.multiply)
        case ("/", _): return .arithmetic(.divide)
        case ("=", "="): return pair(.comparison(.equal))
        case ("=", _): return .comparison(.equal)
        case ("!", "="): return pair(.comparison(.notEqual))
        case ("<", ">"): return pair(.comparison(.notEqual))
        case ("<", "="): return pair(.comparison(.lessOrEqual))
        case ("<", _): return .comparison(.less)
        case (">", "="): return pair(.comparison(.greaterOrEqual))
        case (">", _): return .comparison(.greater)
        case ("!", _):
            throw RuleParseError(
                "unexpected '!'; write != for 'not equal' or NOT to negate a condition", at: start, in: scalars)
        case ("\"", _):
            throw RuleParseError("strings are written in single quotes, like 'down'", at: start, in: scalars)
        case ("%", _):
            throw RuleParseError("'%' must directly follow a number, like 5%", at: start, in: scalars)
        default:
            throw RuleParseError("unexpected character '\(scalar.escaped(asASCII: true))'", at: start, in: scalars)
        }
    }

    // MARK: - Character classes

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func startsName(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    private static func continuesName(_ scalar: Unicode.Scalar) -> Bool {
        startsName(scalar) || isDigit(scalar) || scalar == "."
    }
}
