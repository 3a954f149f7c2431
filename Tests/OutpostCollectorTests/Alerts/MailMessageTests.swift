import Foundation
import Testing

@testable import OutpostCollector

@Suite("E-mail rendering for SMTP DATA")
struct MailMessageTests {
    @Test func dataIsCRLFDotStuffedAndTerminated() {
        let message = MailMessage(
            from: "a@example.com", to: ["b@example.com"], subject: "x\r\nBcc: evil@example.com",
            body: "one\n.two\r\nthree\r..four\n",
            date: Date(timeIntervalSince1970: 1_700_000_000), messageID: "id@outpost")
        let data = message.data
        #expect(
            data.hasPrefix("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\nFrom: <a@example.com>\r\nTo: <b@example.com>\r\n"))
        // A line break in the subject cannot start a header of its own.
        #expect(data.contains("\r\nSubject: x  Bcc: evil@example.com\r\n"))
        #expect(data.hasSuffix("\r\n\r\none\r\n..two\r\nthree\r\n...four\r\n.\r\n"))
        #expect(!data.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func nonASCIISubjectsAreEncodedWords() {
        #expect(
            MailMessage.headerValue("Tbilisi — ქუთაისი") == "=?UTF-8?B?VGJpbGlzaSDigJQg4YOl4YOj4YOX4YOQ4YOY4YOh4YOY?=")
        #expect(MailMessage.headerValue("plain") == "plain")
    }

    @Test func addressesThatCouldInjectCommandsAreRefused() {
        #expect(MailAddress.isValid("noc@example.com"))
        for bad in [
            "", "noc", "@example.com", "noc@", "a b@example.com", "<noc@example.com>",
            "noc@example.com\r\nRCPT TO:<x@y>", "a@b@c", "ü@example.com",
        ] {
            #expect(!MailAddress.isValid(bad), "\(bad.debugDescription) accepted")
        }
    }
}
