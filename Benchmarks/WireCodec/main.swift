// Batch codec throughput, release build: `OUTPOST_BENCHMARKS=1 swift run -c release WireCodec`.
//
// Measures encode+sign and verify+decode (and the collector's validation after it) of batches
// of 1,000 ping rounds through the public
// API, side by side with the reference it replaces: the same rows as row-wise JSON
// (Foundation's JSONEncoder/JSONDecoder) signed and verified with the same P-256 key, and the
// bare P-256 sign/verify of a batch-sized message, which bounds what any codec can reach.
// Ends with machine-readable `RESULT name=… size=… ours=… reference=… unit=… ratio=…` lines.
import Crypto
import Foundation
import OutpostCore
import OutpostWire

/// 250 devices × 4 rounds, 5% unreachable: what a branch agent closes a batch with.
func pingRounds() -> [PingRoundResult] {
    var generator = SystemRandomNumberGenerator()
    let start = Date(timeIntervalSince1970: 1_764_000_000)
    let devices = (0..<250).map { _ in DeviceID(UUID()) }
    return (0..<4).flatMap { round in
        devices.enumerated().map { index, device in
            let reachable = Int.random(in: 0..<20, using: &generator) != 0
            let base = Double.random(in: 0.5...40, using: &generator)
            return PingRoundResult(
                deviceID: device, deviceIP: "10.\(index / 64).\(index % 64).\(index % 200 + 1)",
                timestamp: start.addingTimeInterval(Double(round * 60) + Double(index) * 0.004),
                packetsSent: 5, packetsReceived: reachable ? 5 : 0,
                minRTT: reachable ? base : nil, avgRTT: reachable ? base * 1.1 : nil,
                maxRTT: reachable ? base * 1.4 : nil, stddevRTT: reachable ? base * 0.05 : nil)
        }
    }
}

/// Row-wise JSON with the legacy column names as keys, the reference.
struct JSONPingRow: Codable {
    var deviceID: UUID, deviceIP: String, timestamp: Date
    var packetsSent: Int, packetsReceived: Int
    var minRTT: Double?, avgRTT: Double?, maxRTT: Double?, stddevRTT: Double?

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

/// Runs `body` repeatedly for about `seconds` and returns operations per second.
func measure(_ seconds: Double = 2, _ body: () throws -> Void) rethrows -> Double {
    try body()  // warm-up
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while start.duration(to: clock.now) < .seconds(seconds) {
        try body()
        count += 1
    }
    let elapsed = start.duration(to: clock.now)
    return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

func report(_ name: String, _ batchesPerSecond: Double, bytes: Int? = nil) {
    let rows = Int((batchesPerSecond * 1000).rounded())
    let size = bytes.map { ", \($0) bytes/batch" } ?? ""
    print(
        "\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(Int(batchesPerSecond.rounded())) batches/s, \(rows) rows/s\(size)"
    )
}

let key = P256.Signing.PrivateKey()
let rounds = pingRounds()
let batch = Batch(
    agentID: AgentID.random(), sequence: 1, createdAt: Date(timeIntervalSince1970: 1_764_000_240), pingResults: rounds)

let stored = try SignedBatch.sign(batch, with: key).serializedBytes
let encodeSign = try measure { _ = try SignedBatch.sign(batch, with: key).serializedBytes }
let verifyDecode = try measure {
    let decoded = try SignedBatch(serializedBytes: stored).verify(with: key.publicKey)
    precondition(decoded.resultCount == 1000)
}

let encoder = JSONEncoder()
encoder.dateEncodingStrategy = .iso8601
let decoder = JSONDecoder()
decoder.dateDecodingStrategy = .iso8601
func jsonRows() -> [JSONPingRow] {
    rounds.map {
        JSONPingRow(
            deviceID: $0.deviceID.uuid, deviceIP: $0.deviceIP, timestamp: $0.timestamp,
            packetsSent: $0.packetsSent, packetsReceived: $0.packetsReceived,
            minRTT: $0.minRTT, avgRTT: $0.avgRTT, maxRTT: $0.maxRTT, stddevRTT: $0.stddevRTT)
    }
}
let json = try encoder.encode(jsonRows())
let jsonSignature = try key.signature(for: json)
let jsonEncodeSign = try measure { _ = try key.signature(for: encoder.encode(jsonRows())) }
let jsonVerifyDecode = try measure {
    precondition(key.publicKey.isValidSignature(jsonSignature, for: json))
    let rows = try decoder.decode([JSONPingRow].self, from: json).map {
        PingRoundResult(
            deviceID: DeviceID($0.deviceID), deviceIP: $0.deviceIP, timestamp: $0.timestamp,
            packetsSent: $0.packetsSent, packetsReceived: $0.packetsReceived,
            minRTT: $0.minRTT, avgRTT: $0.avgRTT, maxRTT: $0.maxRTT, stddevRTT: $0.stddevRTT)
    }
    precondition(rows.count == 1000)
}

// What the collector adds per batch after verify + decode: every value checked against its
// column's domain (timestamps are 2025-11: the window is set around them).
let validator = BatchValidator(now: Date(timeIntervalSince1970: 1_764_000_300), futureSkew: 3_600)
let verifyDecodeValidate = try measure {
    let decoded = try SignedBatch(serializedBytes: stored).verify(with: key.publicKey)
    try validator.validate(decoded)
}

let message = [UInt8](repeating: 0x5A, count: stored.count)
let signature = try key.signature(for: message)
let signOnly = try measure { _ = try key.signature(for: message) }
let verifyOnly = measure { precondition(key.publicKey.isValidSignature(signature, for: message)) }

print("Batches of 1,000 ping rounds, one core, release")
report("OutpostWire encode + sign", encodeSign, bytes: stored.count)
report("OutpostWire verify + decode", verifyDecode, bytes: stored.count)
report("OutpostWire verify + decode + validate", verifyDecodeValidate, bytes: stored.count)
report("reference: row-wise JSON encode + sign", jsonEncodeSign, bytes: json.count)
report("reference: row-wise JSON verify + decode", jsonVerifyDecode, bytes: json.count)
report("bound: P-256 sign of a batch-sized message", signOnly)
report("bound: P-256 verify of a batch-sized message", verifyOnly)
print(
    String(
        format: "RESULT name=wire-encode-sign size=1000-rows ours=%.0f reference=%.0f unit=batches/s ratio=%.2f",
        encodeSign, jsonEncodeSign, encodeSign / jsonEncodeSign))
print(
    String(
        format: "RESULT name=wire-verify-decode size=1000-rows ours=%.0f reference=%.0f unit=batches/s ratio=%.2f",
        verifyDecode, jsonVerifyDecode, verifyDecode / jsonVerifyDecode))
print(
    String(
        format: "RESULT name=wire-validate-cost size=1000-rows ours=%.0f reference=%.0f unit=batches/s ratio=%.2f",
        verifyDecodeValidate, verifyDecode, verifyDecodeValidate / verifyDecode))
