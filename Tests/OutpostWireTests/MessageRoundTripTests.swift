import Testing

@testable import OutpostWire

/// Every message type, randomly filled, survives encode → frame bytes → decode unchanged.
@Suite("Message round trips")
struct MessageRoundTripTests {
    @Test("random messages round-trip through frames", arguments: MessageType.allCases)
    func roundTrip(type: MessageType) throws {
        let iterations = type == .batch ? 200 : 1000
        for seed in PropertySeeds.cases(iterations, salt: UInt64(type.rawValue)) {
            var random = RandomValues(seed: seed)
            let message = random.message(of: type)
            let bytes = try message.encodedFrame()
            let decoded = try #require(try FrameDecoder().decodeFrame(in: bytes), PropertySeeds.replay(seed))
            #expect(decoded.consumed == bytes.count, PropertySeeds.replay(seed))
            #expect(decoded.frame.type == type, PropertySeeds.replay(seed))
            let roundTripped = try Message(frame: decoded.frame)
            // Stop at the first failing case: its seed is all that is needed to replay it.
            guard roundTripped == message else {
                Issue.record(PropertySeeds.replay(seed, "decoded \(type) differs from the original"))
                return
            }
        }
    }

    @Test("the encoding is canonical: decoding and re-encoding gives the same bytes", arguments: MessageType.allCases)
    func canonicalBytes(type: MessageType) throws {
        for seed in PropertySeeds.cases(100, salt: 0xC0DE ^ UInt64(type.rawValue)) {
            var random = RandomValues(seed: seed)
            let frame = try random.message(of: type).frame()
            #expect(try Message(frame: frame).frame() == frame, PropertySeeds.replay(seed))
        }
    }

    @Test("each message type maps to its own type byte")
    func typeBytesAreDistinct() {
        let bytes = Set(MessageType.allCases.map(\.rawValue))
        #expect(bytes.count == MessageType.allCases.count)
        #expect(!bytes.contains(0))
    }
}
