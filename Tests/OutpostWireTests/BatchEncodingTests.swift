import Foundation
import OutpostCore
import Testing

@testable import OutpostWire

/// The batch's columnar encoding: layout details, limits and size.
@Suite("Batch encoding")
struct BatchEncodingTests {
    private static let agent = AgentID(UUID(uuidString: "6F1C9B43-2D4A-4E7B-9C10-5B7E0C2A9F11")!)

    /// 1,000 ping rounds as a branch agent produces them: 250 devices, 4 rounds, mostly reachable.
    static func realisticPingBatch() -> Batch {
        var random = RandomValues(seed: 1000)
        let start = try! WireTime.date(microseconds: 1_764_000_000_000_000, field: "test")
        let devices = (0..<250).map { _ in DeviceID(random.uuid()) }
        var results: [PingRoundResult] = []
        for round in 0..<4 {
            for (index, device) in devices.enumerated() {
                let reachable = random.int(0...19) != 0
                let base = Double(random.int(500...40_000)) / 1000
                results.append(
                    PingRoundResult(
                        deviceID: device, deviceIP: "10.\(index / 64).\(index % 64).\(index % 200 + 1)",
                        timestamp: start.addingTimeInterval(Double(round * 60) + Double(index) * 0.004),
                        packetsSent: 5, packetsReceived: reachable ? 5 - random.int(0...1) : 0,
                        minRTT: reachable ? base : nil, avgRTT: reachable ? base * 1.1 : nil,
                        maxRTT: reachable ? base * 1.4 : nil, stddevRTT: reachable ? base * 0.05 : nil))
            }
        }
        return Batch(agentID: agent, sequence: 42, createdAt: start.addingTimeInterval(240), pingResults: results)
    }

    /// The same rows as one JSON object per row, as the old system shipped them.
    private struct PingRow: Encodable {
        let deviceID: String, deviceIP: String, timestamp: String
        let packetsSent: Int, packetsReceived: Int
        let minRTT: Double?, avgRTT: Double?, maxRTT: Double?, stddevRTT: Double?

        enum CodingKeys: String, CodingKey {
            case deviceID = "device_id"
            case deviceIP = "device_ip"
            case timestamp
            case packetsSent = "packets_sent"
            case packetsReceived = "packets_received"
            case minRTT = "min_rtt"
            case avgRTT = "avg_rtt"
            case maxRTT = "max_rtt"
            case stddevRTT = "stddev_rtt"
        }
    }

    @Test("1,000 ping rounds encode far smaller than row-wise JSON")
    func columnarIsCompact() throws {
        let batch = Self.realisticPingBatch()
        let columnar = try SignedBatch.sign(batch, with: TestKeys.agent).serializedBytes.count
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let rows = batch.pingResults.map {
            PingRow(
                deviceID: $0.deviceID.description, deviceIP: $0.deviceIP,
                timestamp: formatter.string(from: $0.timestamp),
                packetsSent: $0.packetsSent, packetsReceived: $0.packetsReceived,
                minRTT: $0.minRTT, avgRTT: $0.avgRTT, maxRTT: $0.maxRTT, stddevRTT: $0.stddevRTT)
        }
        let json = try JSONEncoder().encode(rows).count
        print(
            "1,000 ping rounds: columnar signed batch \(columnar) bytes (\(columnar / 1000) B/row), row-wise JSON \(json) bytes (\(json / 1000) B/row)"
        )
        #expect(columnar < 72_000, "about 16 B id + ~12 B address + ~3 B time + 2 B counts + 32 B RTTs per row")
        #expect(columnar * 3 < json, "columnar must stay under a third of row-wise JSON")
    }

    @Test("timestamps are stored as small deltas: rows 4 ms apart take 2 bytes each")
    func timestampDeltas() throws {
        let batch = Self.realisticPingBatch()
        var oneRow = batch
        oneRow.pingResults = Array(batch.pingResults.prefix(2))
        var shifted = oneRow
        shifted.pingResults[1].timestamp = oneRow.pingResults[0].timestamp.addingTimeInterval(1000)
        // 1000 s = 1e9 µs, ZigZag 2e9 needs 5 varint bytes instead of 2 for 4,000 µs.
        #expect(try shifted.encoded().count - oneRow.encoded().count == 3)
    }

    @Test("NaN round-trip times keep their exact bit pattern")
    func nanPayloads() throws {
        let createdAt = try WireTime.date(microseconds: 1_764_000_000_000_000, field: "test")
        let nan = Double(bitPattern: 0x7FF8_0000_0000_BEEF)
        let batch = Batch(
            agentID: Self.agent, sequence: 1, createdAt: createdAt,
            pingResults: [
                PingRoundResult(
                    deviceID: DeviceID(UUID()), deviceIP: "10.0.0.1", timestamp: createdAt, packetsSent: 1,
                    packetsReceived: 1, minRTT: nan)
            ])
        let decoded = try Batch(decoding: batch.encoded())
        #expect(decoded.pingResults[0].minRTT?.bitPattern == nan.bitPattern)
    }

    @Test("an empty batch is 16 + 1 + 8 + 3 bytes and round-trips")
    func emptyBatch() throws {
        let createdAt = try WireTime.date(microseconds: 1_764_000_000_000_000, field: "test")
        let batch = Batch(agentID: Self.agent, sequence: 1, createdAt: createdAt)
        let bytes = try batch.encoded()
        #expect(bytes.count == 16 + 1 + 8 + 3)
        #expect(try Batch(decoding: bytes) == batch)
        #expect(batch.resultCount == 0)
    }

    @Test("fields beyond their limits are refused by the encoder, not corrupted")
    func encoderLimits() {
        let createdAt = Date(timeIntervalSince1970: 1_764_000_000)
        let device = DeviceID(UUID())
        var batch = Batch(
            agentID: Self.agent, sequence: 1, createdAt: createdAt,
            pingResults: [
                PingRoundResult(
                    deviceID: device, deviceIP: String(repeating: "x", count: 256), timestamp: createdAt,
                    packetsSent: 1, packetsReceived: 1)
            ])
        #expect(throws: WireError.self) { try SignedBatch.sign(batch, with: TestKeys.agent) }
        batch.pingResults = []
        batch.createdAt = Date(timeIntervalSince1970: -1)
        #expect(throws: WireError.self) { try SignedBatch.sign(batch, with: TestKeys.agent) }
        batch.createdAt = Date(timeIntervalSince1970: 2_840_140_800)
        #expect(throws: WireError.self) { try SignedBatch.sign(batch, with: TestKeys.agent) }
        #expect(throws: WireError.self) {
            try Message.hello(
                Hello(
                    agentVersion: String(repeating: "é", count: 128), lastAcknowledgedSequence: 0, configVersion: nil,
                    droppedResults: 0)
            ).frame()
        }
    }

    @Test("a clock reading with sub-microsecond digits is rounded to the nearest microsecond")
    func timestampsRoundToMicroseconds() throws {
        // 2026-12-03 plus a fraction whose seventh digit decides: 2 rounds down, 8 up (a
        // truncating encoder would fail the second).
        let second = 818_000_000.0
        for (fraction, expected) in [(0.123_456_2, Int64(818_000_000_123_456)), (0.123_456_8, 818_000_000_123_457)] {
            let decoded = try heartbeatRoundTrip(Date(timeIntervalSinceReferenceDate: second + fraction))
            #expect(Int64((decoded.timeIntervalSinceReferenceDate * 1_000_000).rounded()) == expected)
        }
        // The clock itself: half a microsecond, plus the spacing of `Date`'s Double at this
        // date (about 0.12 µs) once for encoding and once for decoding.
        let now = Date()
        let spacing = now.timeIntervalSinceReferenceDate.ulp
        #expect(abs(try heartbeatRoundTrip(now).timeIntervalSince(now)) <= 0.000_000_5 + 2 * spacing)
    }

    /// `date` sent in a heartbeat frame and decoded again.
    private func heartbeatRoundTrip(_ date: Date) throws -> Date {
        let frame = try Message.heartbeat(Heartbeat(timestamp: date)).frame()
        guard case .heartbeat(let decoded) = try Message(frame: frame) else {
            Issue.record("not a heartbeat")
            return .distantPast
        }
        return decoded.timestamp
    }

    @Test("a declared row count larger than the bytes left is refused before anything is reserved")
    func hugeCountsAreRefused() throws {
        var writer = WireWriter()
        writer.writeUUID(Self.agent.uuid)
        writer.writeVarUInt(1)
        writer.writeVarInt(1_764_000_000_000_000)
        writer.writeVarUInt(UInt64(1) << 60)  // ping rows
        #expect(
            throws: WireError.invalidField(
                field: "batch.ping", reason: "count 1152921504606846976 needs more than the 0 bytes left")
        ) {
            try Batch(decoding: writer.bytes)
        }
    }
}
