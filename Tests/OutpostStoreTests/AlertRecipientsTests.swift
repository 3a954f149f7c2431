import Testing

@testable import OutpostStore

@Suite("Alert rule e-mail recipients from notification_channels and notification_recipients")
struct AlertRecipientsTests {
    static let cases: [(channels: String, recipients: String, expected: [String])] = [
        (
            #"[{"type":"email","to":["a@x.ge","b@x.ge"]}]"#, #"["c@x.ge",{"email":"d@x.ge"}]"#,
            ["a@x.ge", "b@x.ge", "c@x.ge", "d@x.ge"]
        ),
        (#"[{"type":"email","to":"a@x.ge"}]"#, #"["A@x.ge"]"#, ["a@x.ge"]),
        (#"["email","webhook"]"#, #"["c@x.ge"]"#, ["c@x.ge"]),
        (#"[{"type":"webhook","url":"http://h/"}]"#, #"["c@x.ge"]"#, []),
        (#"[]"#, #"["c@x.ge"]"#, []),
        (#"not json"#, #"["c@x.ge"]"#, []),
    ]

    @Test(arguments: cases)
    func recipients(channels: String, recipients: String, expected: [String]) {
        #expect(AlertRuleStore.emailRecipients(channels: channels, recipients: recipients) == expected)
    }
}
