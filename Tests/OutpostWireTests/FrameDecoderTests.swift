import Testing

@testable import OutpostWire

/// The frame decoder on partial, oversized, foreign and random input.
@Suite("Frame decoder")
struct FrameDecoderTests {
    private static func sampleFrames() throws -> [[UInt8]] {
        var random = RandomValues(seed: 42)
        return try MessageType.allCases.map { try random.message(of: $0).encodedFrame() }
    }

    @Test("a frame cut at every point asks for more data, then decodes once complete")
    func truncatedFramesNeedMoreData() throws {
        let decoder = FrameDecoder()
        for bytes in try Self.sampleFrames() {
            for cut in 0..<bytes.count {
                var prefix = bytes[0..<cut]
                #expect(try decoder.decodeFrame(from: &prefix) == nil, "cut at \(cut) of \(bytes.count)")
                #expect(prefix.count == cut, "a partial frame must stay in the buffer")
            }
            var whole = bytes[...]
            #expect(try decoder.decodeFrame(from: &whole) != nil)
            #expect(whole.isEmpty)
        }
    }

    @Test("raw buffer pointers (what NIO's ByteBuffer exposes) decode like arrays")
    func rawBuffers() throws {
        for bytes in try Self.sampleFrames() {
            let stream = bytes + [Frame.protocolVersion]
            let decoded = try stream.withUnsafeBytes { raw in try FrameDecoder().decodeFrame(in: raw) }
            #expect(decoded?.consumed == bytes.count)
            #expect(try decoded?.frame == FrameDecoder().decodeFrame(in: bytes)?.frame)
        }
    }

    @Test("a stream of frames fed in random chunks yields every message in order")
    func streamInRandomChunks() throws {
        for seed in PropertySeeds.cases(50, salt: 0x57AE) {
            var random = RandomValues(seed: seed)
            let messages = (0..<random.int(1...30)).map { _ in
                random.message(of: MessageType.allCases[random.int(0...(MessageType.allCases.count - 1))])
            }
            let stream = try messages.flatMap { try $0.encodedFrame() }
            var buffer: ArraySlice<UInt8> = []
            var received: [Message] = []
            var offset = 0
            while offset < stream.count {
                let chunk = min(random.int(1...700), stream.count - offset)
                buffer.append(contentsOf: stream[offset..<(offset + chunk)])
                offset += chunk
                while let frame = try FrameDecoder().decodeFrame(from: &buffer) {
                    received.append(try Message(frame: frame))
                }
            }
            #expect(received == messages, PropertySeeds.replay(seed))
            #expect(buffer.isEmpty, PropertySeeds.replay(seed))
        }
    }

    @Test("an oversized length is refused from the header alone, before any payload is buffered")
    func oversizedLengthRefusedBeforeAllocation() throws {
        // Only the 6 header bytes exist: a decoder that waited for (or reserved) 4 GiB would return nil or crash.
        let header: [UInt8] = [Frame.protocolVersion, MessageType.batch.rawValue, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: WireError.frameTooLarge(declaredLength: Int(UInt32.max), maximum: 16 * 1024 * 1024)) {
            try FrameDecoder().decodeFrame(in: header)
        }
        let small = FrameDecoder(maximumPayloadSize: 1000)
        let justTooLarge: [UInt8] = [Frame.protocolVersion, MessageType.config.rawValue, 0, 0, 0x03, 0xE9]
        #expect(throws: WireError.frameTooLarge(declaredLength: 1001, maximum: 1000)) {
            try small.decodeFrame(in: justTooLarge)
        }
        let atLimit = try Frame(type: .config, payload: [UInt8](repeating: 0, count: 1000)).encoded(
            maximumPayloadSize: 1000)
        #expect(try small.decodeFrame(in: atLimit)?.frame.payload.count == 1000)
    }

    @Test("the encoder refuses a payload the peer's limit would refuse")
    func encoderRefusesOversizedPayload() {
        let frame = Frame(type: .config, payload: [UInt8](repeating: 7, count: 2049))
        #expect(throws: WireError.frameTooLarge(declaredLength: 2049, maximum: 2048)) {
            try frame.encoded(maximumPayloadSize: 2048)
        }
    }

    @Test("a wrong version byte is refused as soon as it arrives", arguments: [0, 2, 0x16, 0x47, 0xFF] as [UInt8])
    func wrongVersion(version: UInt8) {
        #expect(throws: WireError.unsupportedVersion(version)) {
            try FrameDecoder().decodeFrame(in: [version])
        }
    }

    @Test("an unknown type byte is refused as soon as it arrives")
    func unknownType() {
        let known = Set(MessageType.allCases.map(\.rawValue))
        for type in UInt8.min...UInt8.max where !known.contains(type) {
            #expect(throws: WireError.unknownMessageType(type)) {
                try FrameDecoder().decodeFrame(in: [Frame.protocolVersion, type])
            }
        }
    }

    @Test("random garbage never crashes: it needs more data or gets a clear error")
    func randomGarbage() throws {
        var needMoreData = 0
        var decoded = 0
        var badVersion = 0
        var unknownType = 0
        var malformed = 0
        for seed in PropertySeeds.cases(20_000, salt: 0x6A2B) {
            var random = RandomValues(seed: seed)
            var bytes = random.bytes(maximumLength: 64)
            // Half the cases get a valid header so the payload decoders are reached too.
            if random.bool(), bytes.count >= 6 {
                bytes[0] = Frame.protocolVersion
                bytes[1] = MessageType.allCases[random.int(0...(MessageType.allCases.count - 1))].rawValue
                bytes[2...5] = [0, 0, 0, UInt8(bytes.count - 6)]
            }
            do {
                guard let (frame, _) = try FrameDecoder().decodeFrame(in: bytes) else {
                    needMoreData += 1
                    continue
                }
                _ = try Message(frame: frame)
                decoded += 1
            } catch {
                #expect(!error.description.isEmpty, PropertySeeds.replay(seed))
                switch error {
                case .unsupportedVersion: badVersion += 1
                case .unknownMessageType: unknownType += 1
                default: malformed += 1
                }
            }
        }
        #expect(needMoreData + decoded + badVersion + unknownType + malformed == 20_000)
        #expect(badVersion > 5_000, "most random first bytes are not version 1")
        #expect(malformed > 1_000, "random payloads behind valid headers are refused")
    }

    @Test("a payload cut at any point is a truncation error, never a crash, except where an older heartbeat ends")
    func truncatedPayloads() throws {
        for bytes in try Self.sampleFrames() {
            let frame = try #require(try FrameDecoder().decodeFrame(in: bytes)).frame
            let whole = try Message(frame: frame)
            for cut in 0..<frame.payload.count {
                let prefix = Frame(type: frame.type, payload: Array(frame.payload[0..<cut]))
                guard case .heartbeat(let heartbeat) = whole, heartbeat.health != nil else {
                    #expect(throws: WireError.self) { try Message(frame: prefix) }
                    continue
                }
                // A heartbeat without its health summary is an older agent's, or the collector's.
                do {
                    let decoded = try Message(frame: prefix)
                    #expect(decoded == .heartbeat(Heartbeat(timestamp: heartbeat.timestamp)), "cut at \(cut)")
                } catch {}
            }
        }
    }

    @Test("bytes after a complete message are refused")
    func trailingBytes() throws {
        for bytes in try Self.sampleFrames() {
            let frame = try #require(try FrameDecoder().decodeFrame(in: bytes)).frame
            #expect(throws: WireError.trailingBytes(count: 3)) {
                try Message(frame: Frame(type: frame.type, payload: frame.payload + [0, 0, 0]))
            }
        }
    }
}
