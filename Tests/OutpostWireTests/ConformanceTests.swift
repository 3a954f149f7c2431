import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostWire

/// `Conformance/reference_encoder.py` implements docs/protocol.md independently; its bytes and
/// the Swift encoder's must be identical, and the Swift decoder must read them back.
@Suite("Conformance with docs/protocol.md")
struct ConformanceTests {
    private static let agent = AgentID(UUID(uuidString: "6f1c9b43-2d4a-4e7b-9c10-5b7e0c2a9f11")!)
    private static let deviceA = DeviceID(UUID(uuidString: "0b6a1d7e-96a5-4c4c-8d55-1f1e2a3b4c5d")!)
    private static let deviceB = DeviceID(UUID(uuidString: "d2c3b4a5-0011-4223-8445-566778899aab")!)
    private static let itemA = ItemID(UUID(uuidString: "11111111-2222-4333-8444-555555555555")!)
    private static let itemB = ItemID(UUID(uuidString: "99999999-8888-4777-8666-555555555555")!)
    private static let job = UUID(uuidString: "a0b1c2d3-e4f5-4607-8819-2a3b4c5d6e7f")!
    private static let t0: Int64 = 1_764_000_000_000_000

    private static func time(_ microseconds: Int64) -> Date {
        try! WireTime.date(microseconds: microseconds, field: "test")
    }

    /// The same values the Python script encodes.
    private static let expectedMessages: [String: Message] = [
        "hello": .hello(
            Hello(
                agentVersion: "1.4.2-é", lastAcknowledgedSequence: 300, configVersion: "sha256:abc", droppedResults: 0)),
        "welcome": .welcome(
            Welcome(agentID: agent, nextExpectedSequence: 1 << 40, serverTime: time(1_764_000_000_123_456))),
        "heartbeat": .heartbeat(Heartbeat(timestamp: time(t0))),
        "heartbeatHealth": .heartbeat(
            Heartbeat(
                timestamp: time(t0),
                health: AgentHealth(
                    agentVersion: "outpost-agent/0.1", residentBytes: 41_600_000, anonymousBytes: 20_000_000,
                    spoolBytes: 3 << 20, spoolPendingBatches: 3, spoolDroppedBatches: 2, spoolDroppedResults: 2000,
                    roundsOverrun: 1, icmpDemandPerSecond: 5000, icmpCeilingPerSecond: 2000))),
        "error": .error(ErrorMessage(code: .unauthorized, message: "agent revoked")),
        "ack": .ack(Ack(ranges: [5...7, 10...10, (UInt64.max - 1)...UInt64.max])),
        "nack": .nack(
            Nack(
                sequence: 9, reason: .overloaded, retryAfterMilliseconds: 1500,
                detail: "batch.ping.packetsReceived: 7 > packetsSent 3")),
        "config": .config(ConfigSnapshot(version: "v7", payload: Array("{}".utf8))),
        "job": .job(Job(id: job, kind: .mtr, parameters: [0x0A, 0, 0, 1])),
        "jobProgress": .jobProgress(JobProgress(jobID: job, completedUnits: 17, totalUnits: 254)),
        "jobResult": .jobResult(JobResult(jobID: job, outcome: .failed, payload: [0, 1], detail: "timeout")),
        "jobCancel": .jobCancel(JobCancel(jobID: job, reason: "operator")),
        "renewRequest": .renewRequest(RenewRequest(csrDER: [0x30, 0x82, 0x01, 0x0A])),
        "renewResponse": .renewResponse(RenewResponse(certificateChainDER: [[0x30, 0x82], [0x30]])),
    ]

    private static let expectedBatch = Batch(
        agentID: agent, sequence: 42, createdAt: time(t0 + 240_000_000),
        pingResults: [
            PingRoundResult(
                deviceID: deviceA, deviceIP: "10.0.0.1", timestamp: time(t0), packetsSent: 5, packetsReceived: 5,
                minRTT: 0.412, avgRTT: 0.5, maxRTT: 0.733, stddevRTT: 0.05),
            PingRoundResult(
                deviceID: deviceB, deviceIP: "2001:db8::7", timestamp: time(t0 + 4_000), packetsSent: 5,
                packetsReceived: 0),
        ],
        itemSamples: [
            ItemSample(
                itemID: itemA, deviceID: deviceA, timestamp: time(t0 + 1_000), value: .counter64(.max), rate: 1250.5),
            ItemSample(
                itemID: itemB, deviceID: deviceA, timestamp: time(t0 + 1_000),
                value: .octetString(Array("Gi0/1".utf8) + [0xFF])),
            ItemSample(itemID: itemA, deviceID: deviceB, timestamp: time(t0 + 2_500), value: nil, error: "timeout"),
            ItemSample(itemID: itemB, deviceID: deviceB, timestamp: time(t0 + 2_400), value: .integer(-42)),
            ItemSample(
                itemID: itemB, deviceID: deviceB, timestamp: time(t0 + 2_400), value: .noSuchInstance,
                error: "noSuchInstance"),
        ],
        genericResults: [GenericResult(kind: .traceroute, payload: Array("\u{1}hop".utf8))])

    /// Runs the Python encoder and returns its cases by name.
    private static func pythonCases() async throws -> [String: [UInt8]] {
        let script = Harness.repositoryFile("Tests/OutpostWireTests/Conformance/reference_encoder.py")
        let output = try await Command.run("/usr/bin/env", ["python3", script])
        try #require(output.status == 0, "python3 is required for the conformance tests and must run \(script)")
        var cases: [String: [UInt8]] = [:]
        for line in output.standardOutput.split(separator: "\n") {
            let parts = line.split(separator: " ")
            let hex = Array(parts[1].utf8)
            cases[String(parts[0])] = stride(from: 0, to: hex.count, by: 2).map {
                UInt8(String(decoding: hex[$0..<($0 + 2)], as: UTF8.self), radix: 16)!
            }
        }
        return cases
    }

    @Test("every message the Python encoder writes is byte-identical to Swift's and decodes to the same value")
    func messages() async throws {
        let python = try await Self.pythonCases()
        for (name, message) in Self.expectedMessages {
            let bytes = try #require(python[name], "python printed no '\(name)' case")
            #expect(try message.encodedFrame() == bytes, "\(name)")
            let frame = try #require(try FrameDecoder().decodeFrame(in: bytes), "\(name)").frame
            #expect(try Message(frame: frame) == message, "\(name)")
        }
    }

    @Test("the Python encoder's columnar batch is byte-identical to Swift's and decodes to the same batch")
    func batch() async throws {
        let bytes = try #require(try await Self.pythonCases()["batch"])
        #expect(try Self.expectedBatch.encoded() == bytes)
        #expect(try Batch(decoding: bytes) == Self.expectedBatch)
    }
}
