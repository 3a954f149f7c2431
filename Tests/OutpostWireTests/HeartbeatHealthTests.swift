import Foundation
import Testing

@testable import OutpostWire

/// The agent's health summary in a Heartbeat: optional (old agents and collectors send none),
/// and refused field by field when a peer sends it out of range.
@Suite("Heartbeat health summary")
struct HeartbeatHealthTests {
    static let time = try! WireTime.date(microseconds: 1_764_000_000_000_000, field: "test")
    static let health = AgentHealth(
        agentVersion: "outpost-agent/0.1", residentBytes: 41_600_000, anonymousBytes: 20_000_000, spoolBytes: 1 << 20,
        spoolPendingBatches: 3, spoolDroppedBatches: 2, spoolDroppedResults: 2000, roundsOverrun: 1,
        icmpDemandPerSecond: 5000, icmpCeilingPerSecond: 2000)

    /// A heartbeat payload written field by field, so values a well-behaved encoder refuses can be sent.
    static func payload(
        version: [UInt8] = Array("outpost-agent/0.1".utf8), counters: [UInt64] = [1, 2, 3, 4, 5, 6, 7],
        demand: UInt64 = 10, ceiling: UInt64 = 20
    ) throws -> [UInt8] {
        var writer = WireWriter()
        try writer.writeTimestamp(time, field: "test")
        writer.writeBytes(version)
        for counter in counters { writer.writeVarUInt(counter) }
        writer.writeVarUInt(demand)
        writer.writeVarUInt(ceiling)
        return writer.bytes
    }

    static func decode(_ payload: [UInt8]) throws(WireError) -> Message {
        try Message(frame: Frame(type: .heartbeat, payload: payload))
    }

    /// The error decoding `payload` throws, or `nil` when it decodes.
    static func refusal(_ payload: [UInt8]) -> WireError? {
        do {
            _ = try decode(payload)
            return nil
        } catch {
            return error
        }
    }

    @Test("a heartbeat without a summary is the first version's bytes and decodes with none")
    func withoutSummary() throws {
        let frame = try Message.heartbeat(Heartbeat(timestamp: Self.time)).frame()
        #expect(frame.payload == [0x80, 0x80, 0x92, 0x96, 0xa8, 0x96, 0xa2, 0x06])
        #expect(try Message(frame: frame) == .heartbeat(Heartbeat(timestamp: Self.time, health: nil)))
    }

    @Test("a summary round-trips; cannot fit is the demand above a known ceiling")
    func roundTrip() throws {
        let message = Message.heartbeat(Heartbeat(timestamp: Self.time, health: Self.health))
        guard case .heartbeat(let decoded) = try Message(frame: try message.frame()) else {
            Issue.record("not a heartbeat")
            return
        }
        #expect(decoded.health == Self.health)
        #expect(decoded.health?.cannotFit == true)
        var fits = Self.health
        fits.icmpDemandPerSecond = 2000
        #expect(!fits.cannotFit)
        fits.icmpCeilingPerSecond = 0
        fits.icmpDemandPerSecond = 50_000
        #expect(!fits.cannotFit, "an unknown ceiling says nothing about fitting")
        guard case .heartbeat(let hand) = try Self.decode(try Self.payload()) else {
            Issue.record("not a heartbeat")
            return
        }
        #expect(hand.health?.spoolDroppedResults == 6)
        #expect(hand.health?.icmpCeilingPerSecond == 20)
    }

    @Test("a summary cut anywhere is refused as truncated, naming the field")
    func truncation() throws {
        let full = try Self.payload()
        let timestampBytes = 8
        for length in (timestampBytes + 1)..<full.count {
            guard case .truncated(let field) = Self.refusal(Array(full.prefix(length))) else {
                Issue.record("a summary cut at \(length) of \(full.count) bytes was not refused as truncated")
                continue
            }
            #expect(field.hasPrefix("heartbeat.health."))
        }
        #expect(Self.refusal(full + [0]) == .trailingBytes(count: 1))
    }

    @Test("an oversized, empty, control-character or invalid UTF-8 version is refused on decode and encode")
    func hostileVersions() throws {
        let oversized = Self.refusal(try Self.payload(version: Array(repeating: UInt8(ascii: "a"), count: 256)))
        #expect(
            oversized
                == .invalidField(field: "heartbeat.health.agentVersion", reason: "length 256 exceeds the limit of 255"))
        #expect(Self.refusal(try Self.payload(version: Array(repeating: UInt8(ascii: "a"), count: 255))) == nil)
        #expect(
            Self.refusal(try Self.payload(version: Array("1.0\u{1B}[2J".utf8)))
                == .invalidField(field: "heartbeat.health.agentVersion", reason: "contains control characters"))
        #expect(
            Self.refusal(try Self.payload(version: []))
                == .invalidField(field: "heartbeat.health.agentVersion", reason: "empty"))
        #expect(
            Self.refusal(try Self.payload(version: [0x31, 0xC3]))
                == .invalidField(field: "heartbeat.health.agentVersion", reason: "not valid UTF-8"))
        // A length that claims more than the frame holds is refused before anything is allocated.
        var huge = WireWriter()
        try huge.writeTimestamp(Self.time, field: "test")
        huge.writeVarUInt(200)
        #expect(Self.refusal(huge.bytes) == .truncated(field: "heartbeat.health.agentVersion"))

        for version in [String(repeating: "é", count: 128), "bad\nversion", ""] {
            var health = Self.health
            health.agentVersion = version
            #expect(throws: WireError.self, "\(version.debugDescription)") {
                try Message.heartbeat(Heartbeat(timestamp: Self.time, health: health)).frame()
            }
        }
    }

    @Test("counters above 2⁶³−1 and packet rates above 32 bits are refused on decode and encode")
    func outOfRange() throws {
        for index in 0..<7 {
            var counters: [UInt64] = [1, 2, 3, 4, 5, 6, 7]
            counters[index] = UInt64(Int64.max) + 1
            guard case .invalidField(let field, let reason) = Self.refusal(try Self.payload(counters: counters)) else {
                Issue.record("counter \(index) at 2⁶³ was accepted")
                continue
            }
            #expect(field.hasPrefix("heartbeat.health."))
            #expect(reason.contains("exceeds the limit"))
            counters[index] = UInt64(Int64.max)
            #expect(Self.refusal(try Self.payload(counters: counters)) == nil)
        }
        #expect(
            Self.refusal(try Self.payload(demand: 1 << 32))
                == .invalidField(
                    field: "heartbeat.health.icmpDemandPerSecond", reason: "4294967296 does not fit 32 bits"))
        #expect(
            Self.refusal(try Self.payload(ceiling: UInt64.max))
                == .invalidField(
                    field: "heartbeat.health.icmpCeilingPerSecond", reason: "18446744073709551615 does not fit 32 bits")
        )
        var health = Self.health
        health.spoolPendingBatches = .max
        #expect(throws: WireError.self) {
            try Message.heartbeat(Heartbeat(timestamp: Self.time, health: health)).frame()
        }
    }
}
