import Foundation

/// The canonical spelling of literals, shared by token quoting and the printed syntax tree.
enum RuleFormatting {
    /// `5`, `2.5`, `0.125`: integers without a fraction, never an exponent (the language has none).
    static func number(_ value: Double) -> String {
        if value == value.rounded() { return String(format: "%.0f", value) }
        let shortest = String(value)
        guard shortest.contains("e") else { return shortest }
        var fixed = String(format: "%.40f", value)
        while fixed.hasSuffix("0") { fixed.removeLast() }
        return fixed
    }

    /// Seconds in the largest unit that divides them exactly: `5m`, `90s`, `2h`, `1d`; below a
    /// second in whole milliseconds when they are (`100ms`).
    static func duration(_ seconds: Double) -> String {
        for (unit, size) in [("d", 86400.0), ("h", 3600.0), ("m", 60.0)] where seconds >= size {
            let count = seconds / size
            if count == count.rounded() { return number(count) + unit }
        }
        let milliseconds = seconds * 1000
        if seconds > 0, seconds < 1, milliseconds == milliseconds.rounded(), milliseconds / 1000 == seconds {
            return number(milliseconds) + "ms"
        }
        return number(seconds) + "s"
    }

    /// `'text'` with every quote doubled.
    static func string(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
