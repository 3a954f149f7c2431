import Foundation
import OutpostCore
import OutpostTestSupport
import Testing

@testable import OutpostAgent

@Suite("Spool append, acknowledge, reopen")
struct SpoolBasicsTests {
    @Test("appended batches come back intact, in order, with their sequence, count and time")
    func appendAndRead() async throws {
        let clock = TestClock()
        try await withTemporarySpool(clock: clock) { spool, directory in
            var sequences: [BatchSequence] = []
            for index in 0..<100 {
                sequences.append(
                    try await spool.append(
                        payload: testPayload(index, size: 100 + index * 20), resultCount: UInt32(index)))
            }
            #expect(sequences == Array(1...100))
            let records = await spool.readAll()
            #expect(records.map(\.sequence) == sequences)
            for (index, record) in records.enumerated() {
                #expect(record.payload == testPayload(index, size: 100 + index * 20))
                #expect(record.resultCount == UInt32(index))
                #expect(record.createdAt == clock.now)
            }
            #expect(try spool.segmentFiles(in: directory.path).count > 3)
        }
    }

    @Test("acknowledged segments are deleted, unacknowledged ones kept, and replay resumes after the mark")
    func acknowledgeDeletesWholeSegmentsOnly() async throws {
        try await withTemporarySpool { spool, directory in
            try await spool.appendTestPayloads(0..<200)
            let before = try spool.segmentFiles(in: directory.path)
            try await spool.acknowledge(through: 150)
            let after = try spool.segmentFiles(in: directory.path)
            #expect(after.count < before.count)
            #expect(after.first.flatMap { BatchSequence($0.dropLast(4)) }.map { $0 <= 151 } == true)
            let remaining = await spool.readAll()
            #expect(remaining.map(\.sequence) == Array(151...200))
            await #expect(throws: SpoolError.acknowledgementBeyondDurable(requested: 201, durableThrough: 200)) {
                try await spool.acknowledge(through: 201)
            }
            #expect(await spool.stats.acknowledgedThrough == 150)
        }
    }

    @Test("sequence numbers continue after a restart even when every segment was acknowledged and deleted")
    func sequencesSurviveRestart() async throws {
        try await withTemporaryDirectory { directory in
            var last: BatchSequence = 0
            for round in 0..<3 {
                try await withSpool(in: directory) { spool in
                    let first = try await spool.append(payload: testPayload(round), resultCount: 1)
                    #expect(first > last)
                    for index in 0..<60 { last = try await spool.append(payload: testPayload(index), resultCount: 1) }
                    try await spool.acknowledge(through: last)
                    #expect(await spool.readAll().isEmpty)
                }
            }
            try await withSpool(in: directory) { spool in
                #expect(await spool.readAll().isEmpty)
                let next = try await spool.append(payload: testPayload(0), resultCount: 1)
                #expect(next == last + 1)
            }
        }
    }

    @Test("bad input is refused with a clear error and nothing is lost")
    func refusesBadInput() async throws {
        try await withTemporarySpool { spool, directory in
            _ = try await spool.append(payload: testPayload(1), resultCount: 1)
            await #expect(throws: SpoolError.recordTooLarge(bytes: 5000, limit: 4096)) {
                try await spool.append(payload: [UInt8](repeating: 1, count: 5000), resultCount: 1)
            }
            #expect(throws: SpoolError.directoryInUse(path: directory.path)) {
                try openSpool(directory.path, smallConfiguration())
            }
            var tooSmall = smallConfiguration()
            tooSmall.maxBytes = 1000
            #expect(throws: SpoolError.self) { try openSpool(directory.child("other"), tooSmall) }
            #expect(try await spool.append(payload: testPayload(2), resultCount: 1) == 2)
            #expect(await spool.readAll().map(\.payload) == [testPayload(1), testPayload(2)])
            await spool.close()
            await #expect(throws: SpoolError.closed) { try await spool.append(payload: [1], resultCount: 1) }
        }
    }

    @Test("concurrent appends under sync-every-batch each get a distinct durable sequence")
    func concurrentAppendsShareSyncs() async throws {
        try await withTemporarySpool { spool, _ in
            let sequences = try await withThrowingTaskGroup(of: BatchSequence.self) { group in
                for index in 0..<64 {
                    group.addTask { try await spool.append(payload: testPayload(index), resultCount: 1) }
                }
                return try await group.reduce(into: [BatchSequence]()) { $0.append($1) }
            }
            #expect(Set(sequences) == Set(1...64))
            #expect(await spool.stats.durableThrough == 64)
            #expect(await spool.readAll().count == 64)
        }
    }

    @Test("group commit hands out records to the replay only once synced")
    func groupCommitExposesOnlySyncedRecords() async throws {
        var configuration = smallConfiguration()
        configuration.syncPolicy = .groupCommit(interval: .seconds(3600))
        try await withTemporarySpool(configuration) { spool, directory in
            try await spool.appendTestPayloads(0..<10)
            #expect(await spool.readAll().isEmpty)
            #expect(await spool.stats.durableThrough == 0)
            await #expect(throws: SpoolError.self) { try await spool.acknowledge(through: 5) }
            await spool.close()
            try await withSpool(in: directory.path, configuration) { reopened in
                #expect(await reopened.readAll().map(\.sequence) == Array(1...10))
            }
        }
    }
}
