/// A compiled SQL LIKE pattern: `%` matches any run of characters (including none), `_`
/// exactly one, a backslash makes the next character literal; everything else matches itself,
/// case-sensitively (PostgreSQL's LIKE). The whole subject must match.
struct LikePattern: Sendable, Equatable {
    private enum Element: Sendable, Equatable {
        case literal(Unicode.Scalar)
        case anyOne
        case anyRun
    }

    private let elements: [Element]

    /// Compiles `pattern`; `nil` when it ends with a lone backslash.
    init?(_ pattern: String) {
        var elements: [Element] = []
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped {
                elements.append(.literal(scalar))
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                elements.append(scalar == "%" ? .anyRun : scalar == "_" ? .anyOne : .literal(scalar))
            }
        }
        if escaped { return nil }
        self.elements = elements
    }

    /// Whether `subject` matches the whole pattern. Greedy matching that backtracks only to the
    /// last `%`: linear in most cases, at worst subject length × pattern length; no allocation.
    func matches(_ subject: String) -> Bool {
        let scalars = subject.unicodeScalars
        var s = scalars.startIndex
        var p = 0
        var lastRun: (pattern: Int, subject: String.UnicodeScalarView.Index)?
        while s != scalars.endIndex {
            if p < elements.count, elements[p] == .anyRun {
                lastRun = (p, s)
                p += 1
            } else if p < elements.count, elements[p] == .anyOne || elements[p] == .literal(scalars[s]) {
                p += 1
                s = scalars.index(after: s)
            } else if let run = lastRun {
                let retry = scalars.index(after: run.subject)
                lastRun = (run.pattern, retry)
                p = run.pattern + 1
                s = retry
            } else {
                return false
            }
        }
        while p < elements.count, elements[p] == .anyRun { p += 1 }
        return p == elements.count
    }
}
