/// Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is a formula to a spreadsheet. Export writes such a value behind a `'` (which
/// spreadsheets take as "text follows"), and writes a value starting with `'` behind one more;
/// import removes one `'` before either, so an exported file imports to the same values.
enum DeviceCSVCell {
    /// `value` as a spreadsheet shows it as text.
    static func guarded(_ value: String) -> String {
        guard let first = value.first, triggers.contains(first) || first == "'" else { return value }
        return "'" + value
    }

    /// The value of a cell written by ``guarded(_:)``.
    static func unguarded(_ cell: String) -> String {
        guard cell.first == "'", let second = cell.dropFirst().first, triggers.contains(second) || second == "'"
        else { return cell }
        return String(cell.dropFirst())
    }

    /// `cell` quoted as RFC 4180 says when it holds a comma, a quote, a line break or leading or
    /// trailing blanks (which readers may trim).
    static func quoted(_ cell: String) -> String {
        let needsQuotes =
            cell.contains { $0 == "," || $0 == "\"" || $0.isNewline }
            || cell.first?.isWhitespace == true || cell.last?.isWhitespace == true
        guard needsQuotes else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
}
