import Foundation
import OutpostCore

/// What the spool knows about one segment file without holding its records in memory.
struct SegmentSummary: Sendable {
    /// The sequence the segment was started for; also its file name.
    let base: BatchSequence
    let path: String
    /// Bytes of the valid part of the file (header and whole records).
    var bytes: Int64 = Int64(RecordFormat.segmentHeaderSize)
    var records = 0
    var results: UInt64 = 0
    var firstSequence: BatchSequence?
    var lastSequence: BatchSequence?
    var oldestCreatedAtMillis: Int64?
    var newestCreatedAtMillis: Int64?

    init(base: BatchSequence, directory: String) {
        self.base = base
        self.path = directory + "/" + Self.fileName(base: base)
    }

    mutating func add(sequence: BatchSequence, resultCount: UInt32, createdAtMillis: Int64, encodedBytes: Int) {
        bytes += Int64(encodedBytes)
        records += 1
        results += UInt64(resultCount)
        if firstSequence == nil { firstSequence = sequence }
        lastSequence = sequence
        oldestCreatedAtMillis = min(oldestCreatedAtMillis ?? createdAtMillis, createdAtMillis)
        newestCreatedAtMillis = max(newestCreatedAtMillis ?? createdAtMillis, createdAtMillis)
    }

    static let suffix = ".seg"

    static func fileName(base: BatchSequence) -> String {
        let digits = String(base)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The base sequence named by a segment file name, or `nil` for other files.
    static func base(fromFileName name: String) -> BatchSequence? {
        guard name.hasSuffix(suffix), name.count == 20 + suffix.count else { return nil }
        return BatchSequence(name.dropLast(suffix.count))
    }
}

/// Reads a segment record by record, checking framing (and, when asked, checksums).
enum SegmentScanner {
    /// The result of walking a segment from its header to the first invalid byte.
    struct Scan {
        var summary: SegmentSummary
        /// Bytes past the valid part: a torn or damaged tail.
        var invalidTailBytes: Int64
        /// Why the walk stopped early, when it did.
        var problem: String?
    }

    /// Walks `file`. Without `verifyChecksums` only record headers are read (fast, for sealed
    /// segments whose records are checked again when replayed).
    static func scan(
        file: SpoolFile, base: BatchSequence, directory: String, maxBodyBytes: Int,
        verifyChecksums: Bool
    ) throws(SpoolError) -> Scan {
        var summary = SegmentSummary(base: base, directory: directory)
        let fileSize = try file.size()
        let header = try file.read(count: RecordFormat.segmentHeaderSize, at: 0)
        guard RecordFormat.parseSegmentHeader(header) == base else {
            summary.bytes = 0
            return Scan(summary: summary, invalidTailBytes: fileSize, problem: "segment header missing or damaged")
        }
        var offset = Int64(RecordFormat.segmentHeaderSize)
        var previous: BatchSequence? = base > 0 ? base - 1 : nil
        while offset < fileSize {
            switch try readRecord(
                file: file, at: offset, fileSize: fileSize, maxBodyBytes: maxBodyBytes,
                after: previous, withPayload: verifyChecksums)
            {
            case .invalid(let reason):
                return Scan(
                    summary: summary, invalidTailBytes: fileSize - offset, problem: "\(reason) at offset \(offset)")
            case .record(let fields, _, let encodedBytes):
                summary.add(
                    sequence: fields.sequence, resultCount: fields.resultCount,
                    createdAtMillis: fields.createdAtMillis, encodedBytes: encodedBytes)
                previous = fields.sequence
                offset += Int64(encodedBytes)
            }
        }
        return Scan(summary: summary, invalidTailBytes: 0, problem: nil)
    }

    enum ReadResult {
        case record(RecordFormat.BodyFields, payload: [UInt8]?, encodedBytes: Int)
        case invalid(String)
    }

    /// Reads the record at `offset`. With `withPayload` the checksum is verified and the payload
    /// returned; otherwise only the framing and the sequence order are checked.
    static func readRecord(
        file: SpoolFile, at offset: Int64, fileSize: Int64, maxBodyBytes: Int,
        after previous: BatchSequence?, withPayload: Bool
    ) throws(SpoolError) -> ReadResult {
        guard fileSize - offset >= Int64(RecordFormat.overhead) else { return .invalid("truncated record header") }
        let headerBytes = try file.read(count: RecordFormat.headerSize, at: offset)
        let header = RecordFormat.parseHeader(headerBytes)
        guard header.bodyLength >= RecordFormat.bodyFixedSize, header.bodyLength <= maxBodyBytes else {
            return .invalid("record length \(header.bodyLength) out of bounds")
        }
        let encodedBytes = RecordFormat.headerSize + header.bodyLength
        guard fileSize - offset >= Int64(encodedBytes) else { return .invalid("truncated record") }
        let bodyOffset = offset + Int64(RecordFormat.headerSize)
        let body = try file.read(count: withPayload ? header.bodyLength : RecordFormat.bodyFixedSize, at: bodyOffset)
        if withPayload, !RecordFormat.verify(header: header, body: body) { return .invalid("checksum mismatch") }
        let fields = RecordFormat.parseBodyFields(body)
        if let previous, fields.sequence <= previous {
            return .invalid("sequence \(fields.sequence) not above \(previous)")
        }
        let payload = withPayload ? Array(body[RecordFormat.bodyFixedSize...]) : nil
        return .record(fields, payload: payload, encodedBytes: encodedBytes)
    }
}
