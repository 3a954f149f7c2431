import Crypto
import Foundation
import NIOCore

/// One batch of legacy ping rows made ready to write, away from the connection: the COPY text
/// of the raw rows and of the older rows bound for the roll-ups (in chunks of about 1 MiB),
/// the (device, minute) pairs to mark pending, the partitions the rows need, the counts and
/// the checksum. Reading and preparing the next batch runs while the previous one is written
/// (docs/legacy-import.md, "Ping history").
struct PingBatch: Sendable {
    /// The highest legacy id of the batch (where the next batch starts).
    var lastID: Int64 = 0
    var read = 0
    var raw = CopyText()
    var rolled = CopyText()
    /// Distinct (device, minute) pairs of the raw rows, in PostgreSQL's order of the pair.
    var pendingDevices: [UUID] = []
    var pendingMinutes: [Date] = []
    /// UTC days of the raw rows and of the rolled rows, hours of both (since 1970).
    var rawDays: Set<Int64> = []
    var rolledDays: Set<Int64> = []
    var hours: Set<Int64> = []
    /// The sum of the copied rows' checksums (modulo 2^64).
    var checksum: UInt64 = 0
    var counts = Counts()
    /// The first refused rows with their reasons.
    var refusals: [(id: String, reason: String)] = []

    /// What happened to the rows that were not copied, and how rows found their device.
    struct Counts: Sendable {
        var skippedSince = 0
        var skippedOld = 0
        var skippedNoDevice = 0
        var refused = 0
        var ambiguous = 0
        var orphaned = 0

        var skipped: Int { skippedSince + skippedOld + skippedNoDevice }

        static func += (total: inout Counts, batch: Counts) {
            total.skippedSince += batch.skippedSince
            total.skippedOld += batch.skippedOld
            total.skippedNoDevice += batch.skippedNoDevice
            total.refused += batch.refused
            total.ambiguous += batch.ambiguous
            total.orphaned += batch.orphaned
        }
    }

    /// COPY text in chunks, and how many rows it holds.
    struct CopyText: Sendable {
        private(set) var chunks: [ByteBuffer] = []
        private(set) var rows = 0
        private var line: [UInt8] = []

        init() { line.reserveCapacity(256) }

        mutating func append(_ ping: LegacyPingRow) {
            line.removeAll(keepingCapacity: true)
            ping.copyLine(into: &line)
            if chunks.isEmpty || chunks[chunks.count - 1].readableBytes + line.count > 1 << 20 {
                chunks.append(ByteBufferAllocator().buffer(capacity: 1 << 20))
            }
            chunks[chunks.count - 1].writeBytes(line)
            rows += 1
        }
    }
}

/// Reads the ping history batch by batch and prepares each (``PingBatch``): every row
/// decoded by position, its device from the prepared ``PingDeviceLookup``, sorted by the
/// retention cuts, printed as COPY text and hashed.
struct PingBatchReader: Sendable {
    static let columns = [
        "id", "device_ip", "device_name", "packets_sent", "packets_received", "packet_loss_percent", "min_rtt_ms",
        "avg_rtt_ms", "max_rtt_ms", "is_reachable", "timestamp",
    ]
    /// Refused rows listed per batch at most (the report lists the first 1000 in all).
    static let listedRefusals = 1000

    let source: any LegacySource
    let devices: PingDeviceLookup
    let batchSize: Int
    /// Microseconds since 1970: rows before `sinceCut` are skipped; from `rawCut` on they are
    /// copied raw; from `hourCut` on (of a known device) they go into the roll-ups.
    let sinceCut: Int64?
    let rawCut: Int64
    let hourCut: Int64

    /// The batch after legacy id `after`, `nil` when no row is left.
    func batch(after: Int64) async throws -> PingBatch? {
        let rows = try await source.rows(
            of: "ping_results", columns: Self.columns, key: "id", after: after, limit: batchSize)
        guard let lastRow = rows.last, let lastID = try lastRow.integer("id").map(Int64.init) else { return nil }
        var batch = PingBatch()
        batch.lastID = lastID
        batch.read = rows.count
        let columns = PingColumns(lastRow.columns)
        let id = lastRow.columns.position("id")
        /// A (device, minute) pair; `high` and `low` are the device's bytes as big-endian
        /// numbers, PostgreSQL's `uuid` order.
        struct Mark: Hashable {
            let high: UInt64
            let low: UInt64
            let minute: Int64

            init(_ device: PingDeviceLookup.Device, _ minute: Int64) {
                high = device.order.high
                low = device.order.low
                self.minute = minute
            }

            var device: UUID {
                var value = (high.bigEndian, low.bigEndian)
                return withUnsafeBytes(of: &value) { UUID(uuid: $0.load(as: uuid_t.self)) }
            }
        }
        var marks = Set<Mark>()
        var canonical: [UInt8] = []
        canonical.reserveCapacity(256)
        for row in rows {
            let ping: LegacyPingRow
            do {
                ping = try LegacyPingRow(row, columns, devices: devices)
            } catch {
                batch.counts.refused += 1
                if batch.refusals.count < Self.listedRefusals {
                    batch.refusals.append((row[position: id].text ?? "?", "\(error)"))
                }
                continue
            }
            if let sinceCut, ping.micros < sinceCut {
                batch.counts.skippedSince += 1
                continue
            }
            if ping.sharedAddress { batch.counts.ambiguous += 1 }
            if ping.device == nil { batch.counts.orphaned += 1 }
            let minute = Self.floor(ping.micros, 60_000_000)
            if ping.micros >= rawCut {
                batch.raw.append(ping)
                canonical.removeAll(keepingCapacity: true)
                ping.canonical(into: &canonical)
                batch.checksum &+= Self.checksum(canonical)
                batch.rawDays.insert(Self.floor(minute, 1440))
                batch.hours.insert(Self.floor(minute, 60))
                if let device = ping.device { marks.insert(Mark(device, minute)) }
            } else if ping.micros >= hourCut, ping.device != nil {
                batch.rolled.append(ping)
                batch.rolledDays.insert(Self.floor(minute, 1440))
                batch.hours.insert(Self.floor(minute, 60))
            } else if ping.device == nil {
                batch.counts.skippedNoDevice += 1
            } else {
                batch.counts.skippedOld += 1
            }
        }
        // One order for every writer of rollup_pending, as ingest's: the device's bytes, then the minute.
        let sorted = marks.sorted { ($0.high, $0.low, $0.minute) < ($1.high, $1.low, $1.minute) }
        batch.pendingDevices = sorted.map(\.device)
        batch.pendingMinutes = sorted.map { Date(timeIntervalSince1970: Double($0.minute) * 60) }
        return batch
    }

    /// Whole `unit`s since 1970 of `micros` (rounded down, also before 1970).
    static func floor(_ micros: Int64, _ unit: Int64) -> Int64 {
        micros >= 0 ? micros / unit : (micros - unit + 1) / unit
    }

    /// The first 60 bits of the MD5 of a row's canonical text: summed over rows on both sides.
    static func checksum(_ canonical: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for byte in Insecure.MD5.hash(data: canonical).prefix(8) { value = value << 8 | UInt64(byte) }
        return value >> 4
    }
}
