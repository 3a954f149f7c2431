import Foundation

/// One legacy `ping_results` row in Outpost's terms. The legacy's writers disagree
/// (docs/legacy-import.md): the scheduled task stored the loss *fraction* truncated to 0 or 1
/// and RTTs of 0 when nothing came back, so the loss is recomputed from the packet counts and
/// the RTTs of a round without replies are NULL.
struct LegacyPingRow: Sendable {
    var device: PingDeviceLookup.Device?
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
    /// Several imported devices have the row's address (the device was chosen by name).
    var sharedAddress = false

    /// Reads and checks one row, its columns at `columns`; the device is looked up in
    /// `devices`. A refused row throws with the reason.
    init(_ row: LegacyRow, _ columns: PingColumns, devices: PingDeviceLookup) throws(LegacyValueError) {
        let rawIP = try row[position: columns.ip].requiredText(column: "device_ip")
        ip = PingDeviceLookup.trimmed(rawIP)
        guard devices.isValidAddress(ip) else {
            throw LegacyValueError(column: "device_ip", reason: "\(ip.prefix(50).debugDescription) is not an address")
        }
        // At most 255 characters: a name of at most 255 UTF-8 bytes is short enough as it is.
        name = row[position: columns.name].text.map { $0.utf8.count <= 255 ? $0 : String($0.prefix(255)) }
        guard let raw = row[position: columns.timestamp].text else {
            throw LegacyValueError(column: "timestamp", reason: "is NULL")
        }
        guard let micros = LegacyTime.micros(raw, zone: .utc) else {
            throw LegacyValueError(column: "timestamp", reason: "\(raw.prefix(40).debugDescription) is not a timestamp")
        }
        self.micros = micros
        let reachable = try row[position: columns.reachable].asBool(column: "is_reachable") ?? false
        var sent = try row[position: columns.sent].asInteger(column: "packets_sent") ?? 0
        var received =
            try row[position: columns.received].asInteger(column: "packets_received") ?? (reachable ? sent : 0)
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
            func rtt(_ value: LegacyValue, _ column: String) throws(LegacyValueError) -> Float? {
                guard let value = try value.asDouble(column: column), value >= 0, value < 600_000 else { return nil }
                return Float(value)
            }
            avgRTT = try rtt(row[position: columns.avgRTT], "avg_rtt_ms")
            minRTT = try rtt(row[position: columns.minRTT], "min_rtt_ms") ?? avgRTT
            maxRTT = try rtt(row[position: columns.maxRTT], "max_rtt_ms") ?? avgRTT
        }
        (device, sharedAddress) = devices.device(ip: ip, name: name)
    }

    /// The canonical text the verification hashes (the same as
    /// ``PingHistoryImport/canonicalSQL`` prints from Outpost's row), into `text`.
    func canonical(into text: inout [UInt8]) {
        func milli(_ value: Float?) {
            if let value { ASCII.append(Int64((Double(value) * 1000).rounded()), to: &text) }
        }
        let bar = UInt8(ascii: "|")
        text.append(contentsOf: ip.utf8)
        text.append(bar)
        if let device { text.append(contentsOf: device.text) }
        text.append(bar)
        ASCII.appendTimestamp(micros: micros, to: &text)
        text.append(bar)
        ASCII.append(Int64(sent), to: &text)
        text.append(bar)
        ASCII.append(Int64(received), to: &text)
        text.append(bar)
        milli(loss)
        text.append(bar)
        milli(minRTT)
        text.append(bar)
        milli(avgRTT)
        text.append(bar)
        milli(maxRTT)
        text.append(bar)
        text.append(reachable ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// The row as a line of COPY text in ``PingHistoryImport/copyColumns`` order (tab-separated,
    /// `\N` for NULL, text escaped), into `line`.
    func copyLine(into line: inout [UInt8]) {
        let tab = UInt8(ascii: "\t")
        func null() {
            line.append(UInt8(ascii: "\\"))
            line.append(UInt8(ascii: "N"))
        }
        func real(_ value: Float?) {
            line.append(tab)
            if let value { ASCII.append(value, to: &line) } else { null() }
        }
        if let device { line.append(contentsOf: device.text) } else { null() }
        line.append(tab)
        ASCII.appendCopyText(ip, to: &line)
        line.append(tab)
        if let name { ASCII.appendCopyText(name, to: &line) } else { null() }
        line.append(tab)
        ASCII.append(Int64(sent), to: &line)
        line.append(tab)
        ASCII.append(Int64(received), to: &line)
        real(loss)
        real(minRTT)
        real(avgRTT)
        real(maxRTT)
        line.append(tab)
        line.append(reachable ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        line.append(tab)
        ASCII.appendTimestamp(micros: micros, to: &line)
        line.append(contentsOf: "+00\n".utf8)
    }
}

/// Where the ping columns are in a batch's rows, found once per batch rather than by name in
/// every row (`nil`: the legacy file lacks the column).
struct PingColumns: Sendable {
    let ip, name, sent, received, minRTT, avgRTT, maxRTT, reachable, timestamp: Int?

    init(_ columns: LegacyColumns) {
        ip = columns.position("device_ip")
        name = columns.position("device_name")
        sent = columns.position("packets_sent")
        received = columns.position("packets_received")
        minRTT = columns.position("min_rtt_ms")
        avgRTT = columns.position("avg_rtt_ms")
        maxRTT = columns.position("max_rtt_ms")
        reachable = columns.position("is_reachable")
        timestamp = columns.position("timestamp")
    }
}
