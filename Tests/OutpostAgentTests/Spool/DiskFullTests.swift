import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent

#if canImport(Glibc)
    import Glibc
#endif

/// A 1 MiB tmpfs mounted in a temporary directory (tests run as root).
private struct SmallFileSystem {
    let directory: TemporaryDirectory
    var path: String { directory.child("fs") }

    init() throws {
        directory = try TemporaryDirectory("diskfull")
        try FileManager.default.createDirectory(atPath: directory.child("fs"), withIntermediateDirectories: false)
        guard mount("tmpfs", directory.child("fs"), "tmpfs", 0, "size=1m") == 0 else {
            let code = errno
            directory.remove()
            throw MountFailed(
                message:
                    "mount -t tmpfs -o size=1m failed with errno \(code): the disk-full tests need root (CAP_SYS_ADMIN)"
            )
        }
    }

    func unmount() {
        umount2(path, 0)
        directory.remove()
    }

    /// Fills the remaining space with a file; returns its path.
    func fill() -> String {
        let filler = path + "/filler"
        let descriptor = open(filler, O_CREAT | O_WRONLY, 0o600)
        let block = [UInt8](repeating: 0x55, count: 4096)
        while block.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        _ = block.withUnsafeBytes { write(descriptor, $0.baseAddress, 1) }
        close(descriptor)
        return filler
    }
}

private struct MountFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

@Suite("Disk full", .tags(.root), .needsRoot)
struct DiskFullTests {
    private func configuration() -> SpoolConfiguration {
        var configuration = SpoolConfiguration()
        configuration.segmentBytes = 64 << 10
        configuration.maxRecordBytes = 16 << 10
        configuration.maxBytes = 64 << 20  // far above the 1 MiB file system: the disk fills first
        configuration.memoryBufferBytes = 48 << 10
        configuration.diskFullRetryInterval = .zero
        return configuration
    }

    @Test("the spool keeps the newest data, counts what it drops, buffers in memory and recovers when space returns")
    func diskFullLifecycle() async throws {
        let fileSystem = try SmallFileSystem()
        defer { fileSystem.unmount() }
        let spool = try openSpool(fileSystem.path + "/spool", configuration())
        var counts: [BatchSequence: UInt32] = [:]
        var payloads: [BatchSequence: [UInt8]] = [:]
        func append(_ index: Int) async throws {
            let payload = testPayload(index, size: 8000)
            let sequence = try await spool.append(payload: payload, resultCount: UInt32(index % 50 + 1))
            counts[sequence] = UInt32(index % 50 + 1)
            payloads[sequence] = payload
        }

        // 1. The spool alone fills the disk: a full disk acts as a cap, oldest segments dropped.
        for index in 0..<300 { try await append(index) }
        var stats = await spool.stats
        #expect(stats.diskFullEvents > 0)
        #expect(stats.droppedBatches > 0)
        #expect(stats.memoryBufferedRecords == 0)
        var kept = await spool.readAll()
        #expect(kept.last?.sequence == 300)
        #expect(kept.map(\.sequence) == Array(kept.first!.sequence...300))
        #expect(kept.allSatisfy { payloads[$0.sequence] == $0.payload })
        let droppedFirst = (1..<kept.first!.sequence).compactMap { counts[$0] }
        #expect(stats.droppedBatches == UInt64(droppedFirst.count))
        #expect(stats.droppedResults == droppedFirst.reduce(0) { $0 + UInt64($1) })

        // 2. Someone else takes the rest of the disk: nothing of ours is left to drop, so new
        //    batches wait in memory; past the memory limit the oldest waiting ones are dropped.
        try await spool.acknowledge(through: 300)
        let filler = fileSystem.fill()
        let droppedBefore = stats.droppedBatches
        for index in 300..<330 { try await append(index) }
        stats = await spool.stats
        #expect(stats.memoryBufferedRecords > 0)
        #expect(stats.memoryBufferedRecords <= (48 << 10) / 8028)
        let onDisk = await spool.readAll().map(\.sequence)
        let lostInMemory = (301...330).filter { !onDisk.contains($0) }.count - stats.memoryBufferedRecords
        #expect(lostInMemory > 0)
        #expect(stats.droppedBatches == droppedBefore + UInt64(lostInMemory))

        // 3. Space returns: the next probe (what `run()` does every tick) writes the held records, in order.
        try FileManager.default.removeItem(atPath: filler)
        await spool.maintain()
        #expect(await spool.stats.memoryBufferedRecords == 0)
        try await append(330)
        stats = await spool.stats
        #expect(stats.memoryBufferedRecords == 0)
        kept = await spool.readAll()
        #expect(kept.last?.sequence == 331)
        #expect(kept.map(\.sequence) == kept.map(\.sequence).sorted())
        #expect(kept.allSatisfy { payloads[$0.sequence] == $0.payload })
        #expect(kept.count == 31 - lostInMemory)
        await spool.close()

        // Nothing written while the disk was full is torn: a reopen finds exactly the same records.
        let reopened = try openSpool(fileSystem.path + "/spool", configuration())
        #expect(await reopened.readAll() == kept)
        #expect(await reopened.stats.tornTailBytesTruncated == 0)
        await reopened.close()
    }
}
