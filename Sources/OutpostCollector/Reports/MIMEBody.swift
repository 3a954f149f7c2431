import Foundation

/// A `multipart/mixed` e-mail body (RFC 2046): the text and an HTML version of it as
/// `multipart/alternative`, then attachments. Every part is base64 in lines of 76 characters, so
/// no line of the body is long and none starts with a dot.
struct MIMEBody: Sendable, Equatable {
    /// A file attached to the mail.
    struct Attachment: Sendable, Equatable {
        let filename: String
        let contentType: String
        let content: String
    }

    let text: String
    let headers: [String]

    init(plain: String, html: String, attachments: [Attachment], boundary: String = UUID().uuidString) {
        let mixed = "mixed-\(boundary)"
        let alternative = "alternative-\(boundary)"
        var lines = [
            "This is a MIME message.", "--\(mixed)", "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
            "",
        ]
        lines += Self.part(alternative, contentType: "text/plain; charset=utf-8", content: plain)
        lines += Self.part(alternative, contentType: "text/html; charset=utf-8", content: html)
        lines += ["--\(alternative)--", ""]
        for attachment in attachments {
            let name = attachment.filename.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            lines += Self.part(
                mixed, contentType: "\(attachment.contentType); charset=utf-8; name=\"\(name)\"",
                content: attachment.content, disposition: "attachment; filename=\"\(name)\"")
        }
        lines.append("--\(mixed)--")
        text = lines.joined(separator: "\n")
        headers = ["Content-Type: multipart/mixed; boundary=\"\(mixed)\""]
    }

    private static func part(_ boundary: String, contentType: String, content: String, disposition: String? = nil)
        -> [String]
    {
        var lines = ["--\(boundary)", "Content-Type: \(contentType)", "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: \(disposition)") }
        lines.append("")
        let encoded = Data(content.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        lines.append("")
        return lines
    }
}
