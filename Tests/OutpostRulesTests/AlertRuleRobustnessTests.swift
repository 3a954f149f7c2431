import Foundation
import OutpostRules
import OutpostTestSupport
import Testing

@Suite("Alert rules: random token sequences never crash the parser")
struct AlertRuleRobustnessTests {
    /// Tokens of the language and characters outside it, glued with or without spaces.
    static let vocabulary = [
        "x", "cpu_5min", "if.in_octets", "ip", "isp_link", "avg", "min", "max", "last", "rate", "count", "median",
        "5", "2.5", "0", "5%", "5m", "10s", "1h", "2d", "7x", "seconds", "minutes", "hour",
        "'a'", "'%.5'", "'it''s'", "'", "\"",
        "AND", "or", "Not", "LIKE", "in", "TRUE", "false",
        "=", "==", "!=", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "!", "&",
        "(", ")", ",", "\n", "é",
    ]

    @Test func tenThousandRandomSequences() throws {
        var random = SeededGenerator(seed: 11)
        var accepted = 0
        for _ in 0..<10_000 {
            let length = Int.random(in: 1...24, using: &random)
            var source = ""
            for _ in 0..<length {
                source += Self.vocabulary.randomElement(using: &random)!
                if Bool.random(using: &random) { source += " " }
            }
            if try Self.check(source) { accepted += 1 }
        }
        // The generator reaches valid rules too, so the round trip was exercised.
        #expect(accepted > 100)
    }

    /// Valid rules with a few random insertions and deletions: errors deep inside real rules.
    @Test func fiveThousandMutatedRules() throws {
        var random = SeededGenerator(seed: 12)
        var accepted = 0
        for _ in 0..<5_000 {
            var scalars = Array(AlertRuleParserTests.valid.randomElement(using: &random)!.source.unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0...scalars.count, using: &random)
                if Bool.random(using: &random) || scalars.isEmpty {
                    scalars.insert(contentsOf: Self.vocabulary.randomElement(using: &random)!.unicodeScalars, at: at)
                } else {
                    scalars.removeSubrange(
                        min(at, scalars.count - 1)..<min(at + Int.random(in: 1...4, using: &random), scalars.count))
                }
            }
            if try Self.check(String(String.UnicodeScalarView(scalars))) { accepted += 1 }
        }
        #expect(accepted > 100)
    }

    /// The deepest trees the length limit allows (left-nested sums, right-nested parentheses
    /// at the depth limit) parse, print, and evaluate without exhausting a test thread's stack.
    @Test func deepestAcceptedTreesEvaluate() throws {
        let sum = try AlertRule(String(repeating: "x + ", count: 240) + "x > 240")
        #expect(sum.syntax.description.hasPrefix(String(repeating: "(", count: 241) + "x + x)"))
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let context = RuleWindows(now: now, series: ["x": [RuleSample(now, .number(1))]])
        #expect(sum.evaluate(context) == .true)
        let nested = try AlertRule(String(repeating: "NOT (", count: 32) + "x > 0" + String(repeating: ")", count: 32))
        #expect(nested.evaluate(context) == .true)
    }

    /// Parses `source`; an accepted rule must print to a canonical form that parses to itself, a
    /// refused one must carry a position inside the text (or just past its end) and a message.
    /// Returns whether the rule was accepted.
    static func check(_ source: String) throws -> Bool {
        do {
            let canonical = try AlertRule(source).syntax.description
            #expect(try AlertRule(canonical).syntax.description == canonical, "\(source.debugDescription)")
            return true
        } catch {
            let scalars = Array(source.unicodeScalars)
            #expect((0...scalars.count).contains(error.offset), "\(source.debugDescription): \(error)")
            let before = scalars[..<min(max(error.offset, 0), scalars.count)]
            let lineStart = before.lastIndex(of: "\n").map { $0 + 1 } ?? 0
            #expect(error.line == before.count(where: { $0 == "\n" }) + 1, "\(source.debugDescription)")
            #expect(error.column == error.offset - lineStart + 1, "\(source.debugDescription)")
            #expect(!error.message.isEmpty)
            return false
        }
    }
}
