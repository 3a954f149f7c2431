import Foundation
import OutpostCollector
import OutpostSettings
import Testing

@Suite("Collector settings for the alert engine (SMTP relay, flap thresholds)")
struct CollectorAlertSettingsTests {
    @Test func defaultsAndOverrides() throws {
        let defaults = try CollectorSettings(config: CollectorSettingsTests.examplePath, environment: [:]).alertEngine()
        #expect(defaults.smtp == nil)
        #expect(defaults.flapWindow == 21 && defaults.flapStartPercent == 50 && defaults.flapStopPercent == 30)
        let set = try CollectorSettings(
            config: CollectorSettingsTests.examplePath,
            environment: [
                "OUTPOST_SMTP_SERVER": "127.0.0.1:2525", "OUTPOST_SMTP_FROM": "outpost@example.com",
                "OUTPOST_ALERT_FLAP_WINDOW": "11", "OUTPOST_ALERT_INSTANCE_NAME": "collector-2",
                "OUTPOST_ALERT_FLAP_START_PERCENT": "40", "OUTPOST_ALERT_FLAP_STOP_PERCENT": "20",
            ]
        ).alertEngine()
        #expect(try set.smtp == SMTPConfiguration(host: "127.0.0.1", port: 2525, from: "outpost@example.com"))
        #expect(set.flapWindow == 11 && set.flapStartPercent == 40 && set.flapStopPercent == 20)
        #expect(set.instanceName == "collector-2")
        #expect(defaults.instanceName == ProcessInfo.processInfo.hostName)
        let secured = try CollectorSettings(
            config: CollectorSettingsTests.examplePath,
            environment: [
                "OUTPOST_SMTP_SERVER": "mail.bank.example:587", "OUTPOST_SMTP_FROM": "outpost@bank.example",
                "OUTPOST_SMTP_STARTTLS": "true",
                "OUTPOST_SMTP_CA_FILE": "/etc/outpost/smtp-ca.pem", "OUTPOST_SMTP_USERNAME": "outpost",
                "OUTPOST_SMTP_PASSWORD": "s3cret",
            ]
        ).alertEngine()
        #expect(secured.smtp?.security == .startTLS(caFile: "/etc/outpost/smtp-ca.pem"))
        #expect(secured.smtp?.credentials == SMTPConfiguration.Credentials(username: "outpost", password: "s3cret"))
    }

    @Test func unusableValuesAreRefusedNamingTheOption() throws {
        let cases: [([String: String], String)] = [
            (["OUTPOST_SMTP_SERVER": "127.0.0.1:25"], "smtp_server and smtp_from go together"),
            (
                ["OUTPOST_SMTP_SERVER": "127.0.0.1:25", "OUTPOST_SMTP_FROM": "Outpost <x@y>"],
                "smtp_from (from $OUTPOST_SMTP_FROM)"
            ),
            (["OUTPOST_SMTP_SERVER": "mail", "OUTPOST_SMTP_FROM": "x@y"], "smtp_server (from $OUTPOST_SMTP_SERVER)"),
            (
                ["OUTPOST_SMTP_SERVER": "m:25", "OUTPOST_SMTP_FROM": "x@y", "OUTPOST_SMTP_STARTTLS": "maybe"],
                "smtp_starttls (from $OUTPOST_SMTP_STARTTLS)"
            ),
            (
                ["OUTPOST_SMTP_SERVER": "m:25", "OUTPOST_SMTP_FROM": "x@y", "OUTPOST_SMTP_CA_FILE": "/ca.pem"],
                "smtp_ca_file needs smtp_starttls = true"
            ),
            (
                ["OUTPOST_SMTP_SERVER": "m:25", "OUTPOST_SMTP_FROM": "x@y", "OUTPOST_SMTP_USERNAME": "u"],
                "smtp_username and smtp_password go together"
            ),
            (
                [
                    "OUTPOST_SMTP_SERVER": "m:25", "OUTPOST_SMTP_FROM": "x@y", "OUTPOST_SMTP_USERNAME": "u",
                    "OUTPOST_SMTP_PASSWORD": "p",
                ],
                "smtp_username: SMTP credentials are sent only over STARTTLS"
            ),
            (["OUTPOST_ALERT_FLAP_WINDOW": "2"], "alert_flap_window (from $OUTPOST_ALERT_FLAP_WINDOW)"),
            (
                ["OUTPOST_ALERT_FLAP_START_PERCENT": "150"],
                "alert_flap_start_percent (from $OUTPOST_ALERT_FLAP_START_PERCENT)"
            ),
            (
                ["OUTPOST_ALERT_FLAP_STOP_PERCENT": "60"],
                "alert_flap_stop_percent (60.0) must be lower than alert_flap_start_percent (50.0)"
            ),
        ]
        CollectorSettingsTests.expectRefused(cases)
    }
}
