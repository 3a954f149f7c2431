import Foundation
import OutpostSettings

extension CollectorSettings.Keys {
    /// Whether the monthly availability report is mailed (`true`/`false`, default `false`).
    public static let reportMailEnabled = SettingKey("report_mail_enabled", environment: "OUTPOST_REPORT_MAIL_ENABLED")
    /// Its recipients, comma separated.
    public static let reportMailRecipients = SettingKey(
        "report_mail_recipients", environment: "OUTPOST_REPORT_MAIL_RECIPIENTS")
}

extension CollectorSettings {
    /// The monthly report e-mail (docs/reports.md): `nil` unless `report_mail_enabled = true`,
    /// which needs `report_mail_recipients` (1 to 50 addresses) and the SMTP relay of alert e-mails.
    public func monthlyReportMail() throws -> MonthlyReportMailer.Configuration? {
        let enabled =
            try settings.value(Keys.reportMailEnabled, expected: "true or false", SettingParsers.boolean) ?? false
        guard enabled else { return nil }
        let recipients = try settings.value(
            Keys.reportMailRecipients, expected: "1 to 50 e-mail addresses, comma separated"
        ) { text -> [String]? in
            let addresses = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...50).contains(addresses.count), addresses.allSatisfy(MailAddress.isValid) else { return nil }
            return addresses
        }
        guard let recipients else {
            throw SettingsError("report_mail_enabled = true needs report_mail_recipients")
        }
        let alerts = try alertEngine()
        guard let smtp = alerts.smtp else {
            throw SettingsError("report_mail_enabled = true needs smtp_server and smtp_from")
        }
        return MonthlyReportMailer.Configuration(smtp: smtp, recipients: recipients, sender: alerts.instanceName)
    }
}
