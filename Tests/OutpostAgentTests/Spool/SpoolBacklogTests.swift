import Foundation
import OutpostTestSupport
import Testing

@testable import OutpostAgent

@Suite("Spool backlog read from outside the spool")
struct SpoolBacklogTests {
    /// ``smallConfiguration(segmentBytes:maxRecordBytes:)`` persisting every acknowledgement at once.
    private func eagerConfiguration() -> SpoolConfiguration {
        var configuration = smallConfiguration()
        configuration.acknowledgementPersistInterval = .zero
        return configuration
    }

    @Test("the backlog of an open spool shows its segments, acknowledgement mark and nothing changes on disk")
    func backlogOfAnOpenSpool() async throws {
        try await withTemporarySpool(eagerConfiguration()) { spool, directory in
            #expect(
                try SpoolBacklog.read(directory: directory.child("missing"))
                    == SpoolBacklog(
                        segments: 0, bytes: 0, acknowledgedThrough: 0, createdThrough: 0, droppedResults: 0,
                        droppedBatches: 0))
            try await spool.appendTestPayloads(0..<200)
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
        }
    }

    @Test(
        "batches created while nothing is acknowledged (collector unreachable) show in the backlog after a maintenance pass"
    )
    func createdWithoutAcknowledgements() async throws {
        try await withTemporarySpool(eagerConfiguration()) { spool, directory in
            try await spool.appendTestPayloads(0..<20)
            await spool.maintain()
            #expect(try SpoolBacklog.read(directory: directory.path).createdThrough == 20)
        }
    }
}
