// Baselines: precision and recall of the anomaly rule at its default threshold beside a static
// threshold, on synthetic RTT series with injected anomalies, and the baseline job's cost.
//
// Usage: OUTPOST_BENCHMARKS=1 swift run -c release BaselineBench [postgres://… [series-per-profile=25 [devices=875]]]
// Quality: for each link profile (steady LAN, daily pattern, noisy link, satellite) and seed, four
// training weeks of rounds every 10 s give hourly means, learned into baselines as the job does
// (BaselineLearning); a fifth week with 3 shifts and 3 spikes is evaluated round by round with
// each rule's FOR as the alert engine applies it. A firing counts as a true positive when it
// falls in an injected anomaly (or within 5 minutes after); an anomaly is detected when one
// firing does. Cost (with a URL): the job's full step and one day's step on `devices` devices in
// a scratch database. Ends with `RESULT …` lines.
import Foundation
import Logging
import OutpostRules
import OutpostStore

let arguments = CommandLine.arguments
let server = arguments.count > 1 && arguments[1] != "-" ? try DatabaseURL(arguments[1]) : nil
let seriesPerProfile = arguments.count > 2 ? Int(arguments[2]) ?? 25 : 25
let devices = arguments.count > 3 ? Int(arguments[3]) ?? 875 : 875
var logger = Logger(label: "outpost.bench.baselines")
logger.logLevel = .warning

func percent(_ value: Double) -> String { String(format: "%.1f", 100 * value) }

let clock = ContinuousClock.now
var totals = Array(repeating: Detection(), count: Quality.ruleNames.count)
print("| profile | rule | firings | true positives | precision % | anomalies | detected | recall % |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for (profileIndex, profile) in LinkProfile.all.enumerated() {
    var byRule = Array(repeating: Detection(), count: Quality.ruleNames.count)
    for index in 0..<seriesPerProfile {
        let series = SyntheticSeries(profile: profile, seed: UInt64(1_000 * profileIndex + index + 1))
        for (rule, detection) in try Quality.run(series).enumerated() { byRule[rule] = byRule[rule] + detection }
    }
    for (rule, detection) in byRule.enumerated() {
        totals[rule] = totals[rule] + detection
        print(
            "| \(profile.name) | `\(Quality.ruleNames[rule])` | \(detection.firings) | \(detection.truePositives) | "
                + "\(percent(detection.precision)) | \(detection.anomalies) | \(detection.detected) | \(percent(detection.recall)) |"
        )
    }
}
for (rule, detection) in totals.enumerated() {
    print(
        "| all | `\(Quality.ruleNames[rule])` | \(detection.firings) | \(detection.truePositives) | "
            + "\(percent(detection.precision)) | \(detection.anomalies) | \(detection.detected) | \(percent(detection.recall)) |"
    )
}
let elapsed = clock.duration(to: .now).components.seconds
print("quality: \(LinkProfile.all.count * seriesPerProfile) series (4 + 1 weeks of 10-s rounds each) in \(elapsed) s")
let size = "\(LinkProfile.all.count * seriesPerProfile)-series"
// The reference: the static threshold with the better F1 score (2PR / (P + R)) of the two.
func f1(_ detection: Detection) -> Double {
    2 * detection.precision * detection.recall / max(detection.precision + detection.recall, 1e-9)
}
let reference = f1(totals[2]) >= f1(totals[3]) ? 2 : 3
print(
    "RESULT name=anomaly-precision size=\(size) ours=\(percent(totals[0].precision)) reference=\(percent(totals[reference].precision)) unit=% ratio=-"
)
print(
    "RESULT name=anomaly-recall size=\(size) ours=\(percent(totals[0].recall)) reference=\(percent(totals[reference].recall)) unit=% ratio=-"
)

if let server {
    for (name, seconds, step) in try await Cost.run(server: server, devices: devices, logger: logger) {
        print(
            String(
                format:
                    "baseline job, %@ step: %.2f s (%d hours of week, %d devices, %d items, %d roll-up rows read, %d baselines written)",
                name, seconds, step.hours, step.devices, step.items, step.rollupRows, step.baselineRows))
        print(
            String(
                format: "RESULT name=baseline-job-%@ size=%d-devices ours=%.2f reference=- unit=s ratio=-", name,
                devices, seconds))
    }
}
