import Crypto
import Foundation
import OutpostCore

/// One legacy `ping_results` row in Outpost's terms. The legacy's writers disagree
/// (docs/legacy-import.md): the scheduled task stored the loss *fraction* truncated to 0 or 1
/// and RTTs of 0 when nothing came back, so the loss is recomputed from the packet counts and
/// the RTTs of a round without replies are NULL.
struct LegacyPingRow: Sendable {
    var deviceID: UUID?
    var ip: String
    var name: String?
    var sent: Int
    var received: Int
    var loss: Float
    var minRTT: Float?
    var avgRTT: Float?
    var maxRTT: Float?
    var reachable: Bool
    /// Microseconds since 1970, UTC.
    var micros: Int64

    /// Reads and checks one row; a refused row throws with the reason.
    init(_ row: LegacyRow) throws {
        ip = try row.required("device_ip").trimmingCharacters(in: .whitespaces)
        guard IPAddressText.isValid(ip) else {
            throw LegacyValueError(column: "device_ip", reason: "\(ip.prefix(50).debugDescription) is not an address")
        }
        name = row.text("device_name").map { String($0.prefix(255)) }
        guard let raw = row.text("timestamp") else { throw LegacyValueError(column: "timestamp", reason: "is NULL") }
        guard let micros = LegacyTime.micros(raw, zone: .utc) else {
            throw LegacyValueError(column: "timestamp", reason: "\(raw.prefix(40).debugDescription) is not a timestamp")
        }
        self.micros = micros
        let reachable = try row.bool("is_reachable") ?? false
        var sent = try row.integer("packets_sent") ?? 0
        var received = try row.integer("packets_received") ?? (reachable ? sent : 0)
        guard sent >= 0, received >= 0, sent <= 1000 else {
            throw LegacyValueError(column: "packets_sent", reason: "\(sent) sent, \(received) received")
        }
        if received > sent { received = sent }
        if sent == 0 {
            // No counts: the round stands for one packet, answered or not.
            sent = 1
            received = reachable ? 1 : 0
        }
        self.sent = sent
        self.received = received
        self.reachable = reachable || received > 0
        loss = Float(100 * Double(sent - received) / Double(sent))
        if received > 0 {
            func rtt(_ column: String) throws -> Float? {
                guard let value = try row.double(column), value >= 0, value < 600_000 else { return nil }
                return Float(value)
            }
            avgRTT = try rtt("avg_rtt_ms")
            minRTT = try rtt("min_rtt_ms") ?? avgRTT
            maxRTT = try rtt("max_rtt_ms") ?? avgRTT
        }
    }

    /// The canonical text the verification hashes, the same as
    /// ``PingHistoryImport/canonicalSQL`` prints from Outpost's row.
    var canonical: String {
        func milli(_ value: Float?) -> String {
            guard let value else { return "" }
            return String(Int64((Double(value) * 1000).rounded()))
        }
        return [
            ip, deviceID.map { $0.uuidString.lowercased() } ?? "",
            LegacyTime.format(micros: micros, separator: " ", suffix: ""), String(sent), String(received),
            milli(loss), milli(minRTT), milli(avgRTT), milli(maxRTT), reachable ? "t" : "f",
        ].joined(separator: "|")
    }

    /// The first 60 bits of the MD5 of ``canonical``: summed over rows on both sides.
    var checksum: UInt64 {
        let digest = Array(Insecure.MD5.hash(data: Data(canonical.utf8)))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return value >> 4
    }
}
