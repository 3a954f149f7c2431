/// Splits an SQL script into single statements.
///
/// postgres-nio sends every query with the extended protocol, which accepts one statement
/// at a time, so a migration script is split here. The splitter understands what can hide a
/// `;`: single-quoted strings, double-quoted identifiers, dollar-quoted bodies (`$$`, `$tag$`),
/// `--` line comments and nested `/* */` block comments. Reproduction:
/// `docs/upstream/postgres-nio.md#multi-statement`.
enum SQLScript {
    /// The non-empty statements of `script`, without their terminating `;`.
    static func statements(_ script: String) -> [String] {
        let characters = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var index = 0

        func flush() {
            let text = String(current).trimmingWhitespace()
            if !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
        }
        func append(upTo end: Int) {
            current.append(contentsOf: characters[index..<min(end, characters.count)])
            index = min(end, characters.count)
        }

        while index < characters.count {
            let character = characters[index]
            let next: Unicode.Scalar? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "'", "\"":
                append(upTo: closingQuote(character, in: characters, from: index + 1) + 1)
            case "-" where next == "-":
                // Comments are dropped: a comment-only "statement" would be an empty query.
                index = characters[index...].firstIndex(of: "\n") ?? characters.count
            case "/" where next == "*":
                index = closingBlockComment(in: characters, from: index + 2)
                current.append(" ")
            case "$":
                if let tag = dollarTag(in: characters, at: index) {
                    append(upTo: closingDollarQuote(tag, in: characters, from: index + tag.count))
                } else {
                    append(upTo: index + 1)
                }
            case ";":
                index += 1
                flush()
            default:
                append(upTo: index + 1)
            }
        }
        flush()
        return statements
    }

    /// Index of the quote that closes a quoted run starting at `start` (doubled quotes escape).
    private static func closingQuote(_ quote: Unicode.Scalar, in characters: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count, characters[index + 1] == quote {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return characters.count
    }

    /// Index just past the `*/` closing a (possibly nested) block comment.
    private static func closingBlockComment(in characters: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 1
        var index = start
        while index < characters.count {
            if characters[index] == "/", index + 1 < characters.count, characters[index + 1] == "*" {
                depth += 1
                index += 2
            } else if characters[index] == "*", index + 1 < characters.count, characters[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return characters.count
    }

    /// The dollar-quote tag (`$$` or `$name$`) starting at `start`, if one does.
    private static func dollarTag(in characters: [Unicode.Scalar], at start: Int) -> [Unicode.Scalar]? {
        var index = start + 1
        while index < characters.count {
            let character = characters[index]
            if character == "$" { return Array(characters[start...index]) }
            guard
                character == "_" || character.properties.isAlphabetic
                    || (index > start + 1 && character.properties.numericType != nil)
            else {
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Index just past the tag that closes a dollar-quoted body whose content starts at `start`.
    private static func closingDollarQuote(_ tag: [Unicode.Scalar], in characters: [Unicode.Scalar], from start: Int)
        -> Int
    {
        var index = start
        while index + tag.count <= characters.count {
            if Array(characters[index..<index + tag.count]) == tag { return index + tag.count }
            index += 1
        }
        return characters.count
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
