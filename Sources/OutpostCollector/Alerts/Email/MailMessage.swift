import Foundation

/// A plain-text UTF-8 e-mail, rendered for the SMTP `DATA` command.
struct MailMessage: Sendable {
    let from: String
    let to: [String]
    let subject: String
    let body: String
    let date: Date
    let messageID: String
    /// A MIME body (HTML beside the text, attachments) sent instead of `body` as plain text.
    var mime: MIMEBody? = nil

    /// The `Date:` header value (RFC 5322), always in UTC: `Wed, 25 Nov 2026 11:54:34 +0000`.
    static func dateHeader(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    /// A header value on one line: CR and LF (which would start a new header) become spaces,
    /// non-ASCII text is an RFC 2047 encoded word.
    static func headerValue(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard line.unicodeScalars.contains(where: { !$0.isASCII }) else { return line }
        return "=?UTF-8?B?\(Data(line.utf8).base64EncodedString())?="
    }

    /// Headers and body with CRLF line ends, every line that starts with `.` dot-stuffed, and the
    /// terminating `CRLF . CRLF`: exactly the bytes to send after the server's `354`.
    var data: String {
        var headers = [
            "Date: \(Self.dateHeader(date))",
            "From: <\(from)>",
            "To: \(to.map { "<\($0)>" }.joined(separator: ", "))",
            "Subject: \(Self.headerValue(subject))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        if let mime { headers.replaceSubrange((headers.count - 2)..., with: mime.headers) }
        let body = mime?.text ?? self.body
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let stuffed = lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }
        return (headers + [""] + stuffed).joined(separator: "\r\n") + "\r\n.\r\n"
    }
}
