import Foundation
import OutpostRules
import Testing

/// Milliseconds on durations and round-trip times, and the legacy ISP rules.
@Suite("Alert rules: milliseconds and the legacy ISP rules")
struct RuleMillisecondsTests {
    @Test(
        "ms is a time unit of a thousandth of a second, printed as ms below a second",
        arguments: [
            ("response_time > 100ms", "(response_time > 100ms)"),
            ("response_time > 250 milliseconds", "(response_time > 250ms)"),
            ("isp_link AND response_time > 100ms", "(isp_link AND (response_time > 100ms))"),
            ("avg(response_time, 1500ms) > 0.5 seconds", "(avg(response_time, 1.5s) > 500ms)"),
            ("x > 1000ms FOR 30s", "(x > 1s)"),
        ])
    func parses(source: String, canonical: String) throws {
        let rule = try AlertRule(source, declaredTypes: ["isp_link": .boolean])
        #expect(rule.syntax.description == canonical)
        #expect(try AlertRule(canonical, declaredTypes: ["isp_link": .boolean]).syntax.description == canonical)
    }

    @Test("the legacy ISP rules evaluate: response_time in seconds against ms, loss against %")
    func legacyISPRules() throws {
        let now = Date()
        func context(isp: Bool, rtt seconds: Double, loss: Double) -> RuleWindows {
            RuleWindows(
                now: now,
                series: [
                    "isp_link": [RuleSample(now, .boolean(isp))],
                    "response_time": [RuleSample(now, .number(seconds))],
                    "packet_loss": [RuleSample(now, .number(loss))],
                ])
        }
        let slow = try AlertRule("isp_link AND response_time > 100ms", declaredTypes: ["isp_link": .boolean])
        let lossy = try AlertRule("isp_link AND packet_loss > 5%", declaredTypes: ["isp_link": .boolean])
        #expect(slow.evaluate(context(isp: true, rtt: 0.150, loss: 0)) == .true)
        #expect(slow.evaluate(context(isp: true, rtt: 0.090, loss: 0)) == .false)
        #expect(slow.evaluate(context(isp: false, rtt: 0.150, loss: 0)) == .false)
        #expect(lossy.evaluate(context(isp: true, rtt: 0.01, loss: 20)) == .true)
        #expect(lossy.evaluate(context(isp: true, rtt: 0.01, loss: 0)) == .false)
        #expect(slow.evaluate(RuleWindows(now: now)) == .unknown)
    }
}
