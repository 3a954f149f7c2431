import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent

@Suite("Torn and damaged records")
struct TornTailTests {
    /// Writes `count` 1,000-byte records and returns the path of the newest segment.
    private func prepare(_ directory: TemporaryDirectory, count: Int) async throws -> String {
        let spool = try openSpool(directory.path, smallConfiguration())
        for index in 0..<count { _ = try await spool.append(payload: testPayload(index), resultCount: 2) }
        await spool.close()
        return directory.child(try spool.segmentFiles(in: directory.path).last!)
    }

    private func modify(_ path: String, _ change: (inout Data) -> Void) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        change(&data)
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test(
        "a record cut short at every possible length is detected, truncated and never returned",
        arguments: [1, 7, 8, 27, 28, 500, 1027])
    func truncatedTail(cut: Int) async throws {
        let directory = try TemporaryDirectory("truncatedTail\(cut)")
        defer { directory.remove() }
        let segment = try await prepare(directory, count: 20)
        let size = try FileManager.default.attributesOfItem(atPath: segment)[.size] as! Int
        // Records are 1,028 bytes on disk: keep `cut` bytes of the last one.
        try modify(segment) { $0.removeLast(1028 - cut) }
        let spool = try openSpool(directory.path, smallConfiguration())
        let records = await spool.readAll()
        #expect(records.map(\.sequence) == Array(1...19))
        #expect(records.allSatisfy { $0.payload == testPayload(Int($0.sequence) - 1) })
        #expect(await spool.stats.tornTailBytesTruncated == UInt64(cut))
        let truncatedSize = try FileManager.default.attributesOfItem(atPath: segment)[.size] as! Int
        #expect(truncatedSize == size - 1028)
        #expect(try await spool.append(payload: testPayload(99), resultCount: 1) > 19)
        #expect(await spool.readAll().last?.payload == testPayload(99))
        await spool.close()
    }

    @Test("a garbled byte in the last record fails its checksum and the record is dropped at open")
    func garbledTail() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let segment = try await prepare(directory, count: 20)
        try modify(segment) { $0[$0.count - 10] ^= 0x40 }
        let spool = try openSpool(directory.path, smallConfiguration())
        #expect(await spool.readAll().map(\.sequence) == Array(1...19))
        #expect(await spool.stats.tornTailBytesTruncated == 1028)
        await spool.close()
    }

    @Test("garbage appended after the last record (a stale block) is cut off")
    func garbageAfterTail() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let segment = try await prepare(directory, count: 5)
        try modify(segment) { $0.append(contentsOf: [UInt8](repeating: 0xAB, count: 4096)) }
        let spool = try openSpool(directory.path, smallConfiguration())
        #expect(await spool.readAll().map(\.sequence) == Array(1...5))
        #expect(await spool.stats.tornTailBytesTruncated == 4096)
        await spool.close()
    }

    @Test("a damaged record in a sealed segment is never delivered; replay skips to the next segment")
    func damagedSealedSegment() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await prepare(directory, count: 60)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
            .sorted()
        #expect(files.count >= 3)
        // Garble the payload of the third record of the first (sealed) segment.
        try modify(directory.child(files[0])) { $0[16 + 2 * 1028 + 100] ^= 0xFF }
        let spool = try openSpool(directory.path, smallConfiguration())
        let records = await spool.readAll()
        #expect(records.prefix(2).map(\.sequence) == [1, 2])
        #expect(!records.contains { $0.sequence == 3 })
        #expect(records.allSatisfy { $0.payload == testPayload(Int($0.sequence) - 1) })
        #expect(records.last?.sequence == 60)
        #expect(await spool.stats.corruptionEvents == 1)
        await spool.close()
    }

    @Test("a newest segment with a torn header (crash during rotation) is repaired")
    func tornSegmentHeader() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try await prepare(directory, count: 30)
        let newBase = BatchSequence(31)
        let name = String(repeating: "0", count: 20 - String(newBase).count) + String(newBase) + ".seg"
        try Data([0x4F, 0x50, 0x53]).write(to: URL(fileURLWithPath: directory.child(name)))
        let spool = try openSpool(directory.path, smallConfiguration())
        #expect(await spool.readAll().map(\.sequence) == Array(1...30))
        #expect(try await spool.append(payload: testPayload(1), resultCount: 1) == 31)
        #expect(await spool.readAll().last?.sequence == 31)
        await spool.close()
    }
}
