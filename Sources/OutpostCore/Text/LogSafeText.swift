/// Text from a peer (an agent's version, a collector's refusal detail, a file name) made safe
/// for a log line: control characters are written as escapes, so such a value can never end
/// the line and forge another one, and an overlong value is cut.
public enum LogSafeText {
    /// Longest value logged, in characters; longer ones end in "…".
    public static let maximumLength = 256

    /// `text` with every control character (C0, DEL, C1, and the line and paragraph
    /// separators) written as `\u{XX}`, cut to ``maximumLength`` characters.
    public static func escaped(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(min(text.utf8.count, maximumLength + 8))
        var count = 0
        for scalar in text.unicodeScalars {
            guard count < maximumLength else {
                result += "…"
                break
            }
            if isControl(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }
}
