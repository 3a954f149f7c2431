// libFuzzer target for the collector's session state machine; built and run by
// `scripts/fuzz-wire.sh`.
//
// Each input is a session: a stream of Hellos and batches whose every field comes from the
// fuzzer, batches signed with the agent's key so that they pass verification, as a hostile but
// enrolled agent would send them. Each batch goes the way the collector takes it: serialized,
// parsed, verified, validated (`BatchValidator`), then recorded in the agent's
// `SequenceWindow`. Oracles beyond "no crash, no trap, no sanitizer report": whatever is
// accepted fits the columns it is stored in, and the window never leaves `bigint`.
import Crypto
import Foundation
import OutpostCore
import OutpostWire

/// The agent's key, as raw bytes: a key object is not `Sendable`, so each input makes its own.
private let signingKeyBytes = [UInt8](repeating: 0x2A, count: 32)
private let agent = AgentID(UUID(uuid: (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)))
private let devices = (0..<4).map { index in
    DeviceID(UUID(uuid: (UInt8(index), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)))
}
/// The collector's clock for every input, so that a crash replays.
private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let validator = BatchValidator(now: now, futureSkew: 3_600)

@_cdecl("LLVMFuzzerTestOneInput")
func sessionFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    let signingKey = try! P256.Signing.PrivateKey(rawRepresentation: signingKeyBytes)
    var window = SequenceWindow(highWater: 0, committedAbove: [])
    while !input.isEmpty {
        switch input.byte() % 3 {
        case 0:
            let acknowledged = input.word()
            guard (try? BatchValidator.validate(sequence: acknowledged, field: "hello", allowZero: true)) != nil else {
                continue
            }
            window.settle(through: acknowledged)
        case 1:
            guard let batch = receive(batch(from: &input), signedWith: signingKey) else { continue }
            let before = window
            let recorded = window.record(batch.sequence)
            if recorded {
                precondition(
                    batch.sequence > before.highWater, "a sequence at or below the high-water mark was recorded")
            }
            precondition(!window.record(batch.sequence), "a replay was recorded twice")
        default:
            // An arbitrary sequence recorded twice: never twice new.
            let sequence = input.word()
            if window.record(sequence) { precondition(!window.record(sequence), "a replay was recorded twice") }
        }
        precondition(window.highWater <= .largestAccepted, "high-water mark left bigint")
        precondition(Int64(exactly: window.highWater + 1) != nil, "the next expected sequence left bigint")
        precondition(window.committedAbove.allSatisfy { $0 > window.highWater && Int64(exactly: $0) != nil })
    }
    return 0
}

/// A batch whose every value comes from the fuzzer.
private func batch(from input: inout FuzzInput) -> Batch {
    let sequence = input.word()
    var rounds: [PingRoundResult] = []
    for _ in 0..<(input.byte() % 4) {
        rounds.append(
            PingRoundResult(
                deviceID: devices[Int(input.byte() % 4)], deviceIP: input.text(), timestamp: input.date(around: now),
                packetsSent: Int(truncatingIfNeeded: input.signedWord()),
                packetsReceived: Int(truncatingIfNeeded: input.signedWord()),
                minRTT: input.optionalDouble(), avgRTT: input.optionalDouble(), maxRTT: input.optionalDouble(),
                stddevRTT: input.optionalDouble()))
    }
    var samples: [ItemSample] = []
    for _ in 0..<(input.byte() % 3) {
        samples.append(
            ItemSample(
                itemID: ItemID(UUID()), deviceID: devices[Int(input.byte() % 4)], timestamp: input.date(around: now),
                value: .counter64(input.word()), rate: input.optionalDouble(),
                error: input.byte() % 2 == 0 ? nil : input.text()))
    }
    return Batch(agentID: agent, sequence: sequence, createdAt: now, pingResults: rounds, itemSamples: samples)
}

/// The batch as the collector gets it: signed, sent, parsed, verified, validated; `nil` when
/// the agent could not encode it or the collector refuses it.
private func receive(_ batch: Batch, signedWith signingKey: P256.Signing.PrivateKey) -> Batch? {
    guard let signed = try? SignedBatch.sign(batch, with: signingKey) else { return nil }
    guard let parsed = try? SignedBatch(serializedBytes: signed.serializedBytes),
        let verified = try? parsed.verify(with: signingKey.publicKey)
    else {
        preconditionFailure("a batch signed with the agent's key did not verify")
    }
    guard (try? validator.validate(verified)) != nil else { return nil }
    for row in verified.pingResults {
        precondition(
            Int32(exactly: row.packetsSent) != nil && Int32(exactly: row.packetsReceived) != nil, "counts left INTEGER")
        precondition(0 <= row.packetsReceived && row.packetsReceived <= row.packetsSent, "received outside 0...sent")
        precondition((0...100).contains(row.lossPercent), "loss outside the CHECK's 0...100")
        precondition(row.deviceIP.utf8.count <= 50, "device_ip longer than VARCHAR(50)")
        for rtt in [row.minRTT, row.avgRTT, row.maxRTT, row.stddevRTT].compactMap({ $0 }) {
            precondition(rtt.isFinite && rtt >= 0 && rtt <= Double(Float.greatestFiniteMagnitude), "RTT outside REAL")
        }
        precondition(
            row.timestamp >= validator.oldest && row.timestamp <= validator.latest, "timestamp outside the window")
    }
    for sample in verified.itemSamples {
        precondition(sample.rate?.isFinite ?? true, "rate not finite")
    }
    return verified
}

/// Reads fuzzer bytes as typed values; past the end every read is zero.
private struct FuzzInput {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }

    mutating func word() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
    }

    mutating func signedWord() -> Int64 { Int64(bitPattern: word()) }

    mutating func optionalDouble() -> Double? {
        byte() % 2 == 0 ? nil : Double(bitPattern: word())
    }

    /// Up to 63 bytes, often a plausible address.
    mutating func text() -> String {
        let length = Int(byte() % 64)
        let raw = (0..<length).map { _ in byte() }
        return byte() % 2 == 0 ? "127.0.0.\(raw.first ?? 1)" : String(decoding: raw, as: UTF8.self)
    }

    /// `origin` shifted by a fuzzed number of seconds, from tiny to absurd.
    mutating func date(around origin: Date) -> Date {
        let shift = Double(signedWord()) / Double(1 << UInt64(byte() % 48))
        return origin.addingTimeInterval(shift)
    }
}
