import NIOCore

/// One conversation: writes commands, reads and checks their replies.
struct SMTPSession {
    var replies: SMTPReplyReader
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    @discardableResult
    mutating func command(_ line: String, expect codes: Set<Int>) async throws -> SMTPReply {
        try await send(line + "\r\n", expect: codes)
    }

    @discardableResult
    mutating func send(_ text: String, expect codes: Set<Int>) async throws -> SMTPReply {
        try await outbound.write(ByteBuffer(string: text))
        return try await expect(codes)
    }

    @discardableResult
    mutating func expect(_ codes: Set<Int>) async throws -> SMTPReply {
        let reply = try await replies.next()
        guard codes.contains(reply.code) else {
            throw SMTPError(code: reply.code, message: reply.lines.joined(separator: " "))
        }
        return reply
    }
}

/// One reply: its code and the text of each of its lines.
struct SMTPReply {
    let code: Int
    let lines: [String]
}

/// Reads SMTP replies (`250-first line`, …, `250 last line`) from the inbound byte stream.
struct SMTPReplyReader {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private var buffer = ByteBuffer()

    init(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator) {
        self.inbound = inbound
    }

    /// The next whole reply.
    mutating func next() async throws -> SMTPReply {
        var texts: [String] = []
        for _ in 0..<SMTPClient.maximumReplyLines {
            let line = try await nextLine()
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                (200...599).contains(code),
                bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else { throw SMTPError(code: nil, message: "malformed reply line: \(line.prefix(80).debugDescription)") }
            texts.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: texts) }
        }
        throw SMTPError(code: nil, message: "reply of more than \(SMTPClient.maximumReplyLines) lines")
    }

    private mutating func nextLine() async throws -> String {
        while true {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - buffer.readerIndex
                var line = buffer.readString(length: length) ?? ""
                buffer.moveReaderIndex(forwardBy: 1)
                if line.hasSuffix("\r") { line.removeLast() }
                return line
            }
            guard buffer.readableBytes <= SMTPClient.maximumLineLength else {
                throw SMTPError(code: nil, message: "reply line longer than \(SMTPClient.maximumLineLength) bytes")
            }
            guard var chunk = try await inbound.next() else {
                throw SMTPError(code: nil, message: "the server closed the connection")
            }
            buffer.writeBuffer(&chunk)
        }
    }
}
