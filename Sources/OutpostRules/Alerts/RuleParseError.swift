/// Why an alert rule expression was refused, and where: raised when a rule is saved or loaded
/// (parsing and type checking), never while it is evaluated.
///
/// Positions count Unicode scalars. `offset` is 0-based; `line` and `column` are 1-based. An
/// error about a missing token at the end of the rule points one past its last character
/// (`offset == source.unicodeScalars.count`).
public struct RuleParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, for a human, without the position ("expected a number after '>'").
    public let message: String
    /// 0-based offset of the offending character, in Unicode scalars.
    public let offset: Int
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column of the offending character, in Unicode scalars.
    public let column: Int

    /// An error at `offset` of `scalars` (the rule's text), with its line and column computed.
    init(_ message: String, at offset: Int, in scalars: [Unicode.Scalar]) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, scalars.count) where scalars[index] == "\n" {
            line += 1
            lineStart = index + 1
        }
        self.message = message
        self.offset = offset
        self.line = line
        self.column = offset - lineStart + 1
    }

    /// The message followed by the position: "expected a number after '>' at column 17", or
    /// "… at line 2, column 5" when the rule spans several lines.
    public var description: String {
        line == 1 ? "\(message) at column \(column)" : "\(message) at line \(line), column \(column)"
    }
}
