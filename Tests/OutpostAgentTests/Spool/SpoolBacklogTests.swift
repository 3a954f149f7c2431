import Foundation
import OutpostTestSupport
import Testing

@testable import OutpostAgent

@Suite("Spool backlog read from outside the spool")
struct SpoolBacklogTests {
    @Test("the backlog of an open spool shows its segments, acknowledgement mark and nothing changes on disk")
    func backlogOfAnOpenSpool() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(
            try SpoolBacklog.read(directory: directory.child("missing"))
                == SpoolBacklog(
                    segments: 0, bytes: 0, acknowledgedThrough: 0, createdThrough: 0, droppedResults: 0,
                    droppedBatches: 0))

        var configuration = smallConfiguration()
        configuration.acknowledgementPersistInterval = .zero
        let spool = try openSpool(directory.path, configuration)
        for index in 0..<200 { _ = try await spool.append(payload: testPayload(index), resultCount: 1) }
        try await spool.acknowledge(through: 150)
        let files = try spool.segmentFiles(in: directory.path)
        let backlog = try SpoolBacklog.read(directory: directory.path)
        #expect(backlog.segments == files.count)
        #expect(backlog.bytes > 50 * 1000)
        #expect(backlog.acknowledgedThrough == 150)
        #expect(backlog.createdThrough == 200)
        // Reading changed nothing: the spool still replays exactly the unacknowledged batches.
        #expect(try spool.segmentFiles(in: directory.path) == files)
        #expect(await spool.readAll().map(\.sequence) == Array(151...200))
        await spool.close()
    }

    @Test(
        "batches created while nothing is acknowledged (collector unreachable) show in the backlog after a maintenance pass"
    )
    func createdWithoutAcknowledgements() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var configuration = smallConfiguration()
        configuration.acknowledgementPersistInterval = .zero
        let spool = try openSpool(directory.path, configuration)
        for index in 0..<20 { _ = try await spool.append(payload: testPayload(index), resultCount: 1) }
        await spool.maintain()
        #expect(try SpoolBacklog.read(directory: directory.path).createdThrough == 20)
        await spool.close()
    }
}
