import Foundation
import OutpostCollector
import OutpostSettings
import OutpostTestSupport
import Testing

@Suite("Monthly report e-mail settings")
struct MonthlyReportSettingsTests {
    static let example = Harness.repositoryFile("collector/collector.toml.example")

    static func settings(_ environment: [String: String]) throws -> CollectorSettings {
        try CollectorSettings(config: example, environment: environment)
    }

    @Test("off by default; on with recipients and the SMTP relay; refused without them")
    func parsing() throws {
        #expect(try Self.settings([:]).monthlyReportMail() == nil)
        let smtp = ["OUTPOST_SMTP_SERVER": "127.0.0.1:25", "OUTPOST_SMTP_FROM": "outpost@example.com"]
        let on = try Self.settings(
            smtp.merging(
                [
                    "OUTPOST_REPORT_MAIL_ENABLED": "true",
                    "OUTPOST_REPORT_MAIL_RECIPIENTS": "noc@example.com, manager@example.com",
                ], uniquingKeysWith: { $1 }
            )
        ).monthlyReportMail()
        #expect(on?.recipients == ["noc@example.com", "manager@example.com"])
        #expect(on?.smtp.from == "outpost@example.com")
        #expect(throws: SettingsError.self) {
            try Self.settings(smtp.merging(["OUTPOST_REPORT_MAIL_ENABLED": "true"], uniquingKeysWith: { $1 }))
                .monthlyReportMail()
        }
        #expect(throws: SettingsError.self) {
            try Self.settings([
                "OUTPOST_REPORT_MAIL_ENABLED": "true", "OUTPOST_REPORT_MAIL_RECIPIENTS": "noc@example.com",
            ]).monthlyReportMail()
        }
        #expect(throws: SettingsError.self) {
            try Self.settings(
                smtp.merging(
                    ["OUTPOST_REPORT_MAIL_ENABLED": "true", "OUTPOST_REPORT_MAIL_RECIPIENTS": "not an address"],
                    uniquingKeysWith: { $1 })
            ).monthlyReportMail()
        }
        #expect(throws: SettingsError.self) {
            try Self.settings(["OUTPOST_REPORT_MAIL_ENABLED": "maybe"]).monthlyReportMail()
        }
    }
}
