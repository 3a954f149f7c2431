import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent

@Suite("Torn and damaged records")
struct TornTailTests {
    /// Writes `count` 1,000-byte records into a fresh spool, closes it, lets `damage` change the
    /// directory (given its segment files, oldest first), then reopens the spool for `check`.
    private func damagedSpool(
        count: Int, name: String = #function, _ damage: (TemporaryDirectory, [String]) throws -> Void,
        check: (Spool) async throws -> Void
    ) async throws {
        try await withTemporarySpool(name: name) { spool, directory in
            try await spool.appendTestPayloads(0..<count, resultCount: 2)
            await spool.close()
            try damage(directory, try spool.segmentFiles(in: directory.path))
            try await withSpool(in: directory.path) { try await check($0) }
        }
    }

    private func modify(_ path: String, _ change: (inout Data) -> Void) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        change(&data)
        try data.write(to: URL(fileURLWithPath: path))
    }

    private func size(of path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    }

    @Test(
        "a record cut short at every possible length is detected, truncated and never returned",
        arguments: [1, 7, 8, 27, 28, 500, 1027])
    func truncatedTail(cut: Int) async throws {
        var segment = ""
        var sizeBefore = 0
        try await damagedSpool(count: 20, name: "truncatedTail\(cut)") { directory, files in
            segment = directory.child(files.last!)
            sizeBefore = try size(of: segment)
            // Records are 1,028 bytes on disk: keep `cut` bytes of the last one.
            try modify(segment) { $0.removeLast(1028 - cut) }
        } check: { spool in
            let records = await spool.readAll()
            #expect(records.map(\.sequence) == Array(1...19))
            #expect(records.allSatisfy { $0.payload == testPayload(Int($0.sequence) - 1) })
            #expect(await spool.stats.tornTailBytesTruncated == UInt64(cut))
            let truncatedSize = try size(of: segment)
            #expect(truncatedSize == sizeBefore - 1028)
            let appended = try await spool.append(payload: testPayload(99), resultCount: 1)
            #expect(appended > 19)
            #expect(await spool.readAll().last?.payload == testPayload(99))
        }
    }

    @Test("a garbled byte in the last record fails its checksum and the record is dropped at open")
    func garbledTail() async throws {
        try await damagedSpool(count: 20) { directory, files in
            try modify(directory.child(files.last!)) { $0[$0.count - 10] ^= 0x40 }
        } check: { spool in
            #expect(await spool.readAll().map(\.sequence) == Array(1...19))
            #expect(await spool.stats.tornTailBytesTruncated == 1028)
        }
    }

    @Test("garbage appended after the last record (a stale block) is cut off")
    func garbageAfterTail() async throws {
        try await damagedSpool(count: 5) { directory, files in
            try modify(directory.child(files.last!)) { $0.append(contentsOf: [UInt8](repeating: 0xAB, count: 4096)) }
        } check: { spool in
            #expect(await spool.readAll().map(\.sequence) == Array(1...5))
            #expect(await spool.stats.tornTailBytesTruncated == 4096)
        }
    }

    @Test("a damaged record in a sealed segment is never delivered; replay skips to the next segment")
    func damagedSealedSegment() async throws {
        try await damagedSpool(count: 60) { directory, files in
            #expect(files.count >= 3)
            // Garble the payload of the third record of the first (sealed) segment.
            try modify(directory.child(files[0])) { $0[16 + 2 * 1028 + 100] ^= 0xFF }
        } check: { spool in
            let records = await spool.readAll()
            #expect(records.prefix(2).map(\.sequence) == [1, 2])
            #expect(!records.contains { $0.sequence == 3 })
            #expect(records.allSatisfy { $0.payload == testPayload(Int($0.sequence) - 1) })
            #expect(records.last?.sequence == 60)
            #expect(await spool.stats.corruptionEvents == 1)
        }
    }

    @Test("a newest segment with a torn header (crash during rotation) is repaired")
    func tornSegmentHeader() async throws {
        try await damagedSpool(count: 30) { directory, _ in
            let newBase = BatchSequence(31)
            let name = String(repeating: "0", count: 20 - String(newBase).count) + String(newBase) + ".seg"
            try Data([0x4F, 0x50, 0x53]).write(to: URL(fileURLWithPath: directory.child(name)))
        } check: { spool in
            #expect(await spool.readAll().map(\.sequence) == Array(1...30))
            let appended = try await spool.append(payload: testPayload(1), resultCount: 1)
            #expect(appended == 31)
            #expect(await spool.readAll().last?.sequence == 31)
        }
    }
}
