import Foundation
import Logging
import Metrics
import OutpostCore
import OutpostTestSupport
import Synchronization
import Testing

@testable import OutpostAgent

/// A settable wall clock for age tests.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

/// Quiet: the tests provoke drops and damage on purpose. Set SPOOL_TEST_LOGS=1 to see the logs.
let testLogger =
    ProcessInfo.processInfo.environment["SPOOL_TEST_LOGS"] == nil
    ? Logger(label: "spool-test", factory: { _ in SwiftLogNoOpLogHandler() })
    : Logger(label: "spool-test")

/// A small-segment configuration so that tests rotate often.
func smallConfiguration(segmentBytes: Int = 16 << 10, maxRecordBytes: Int = 4 << 10) -> SpoolConfiguration {
    var configuration = SpoolConfiguration()
    configuration.segmentBytes = segmentBytes
    configuration.maxRecordBytes = maxRecordBytes
    configuration.maxBytes = 64 << 20
    return configuration
}

/// Opens a spool with an optional test clock and metrics factory.
func openSpool(
    _ directory: String, _ configuration: SpoolConfiguration, clock: TestClock? = nil,
    metrics: (any MetricsFactory)? = nil
) throws -> Spool {
    try Spool(
        directory: directory, configuration: configuration, logger: testLogger,
        metricsFactory: metrics ?? NOOPMetricsHandler.instance, now: { clock?.now ?? Date() })
}

/// Opens a spool in `directory` (by ``openSpool(_:_:clock:metrics:)``), runs `body` with it and
/// closes it afterwards, also when `body` throws (closing an already closed spool does nothing).
func withSpool<T>(
    in directory: String, _ configuration: SpoolConfiguration = smallConfiguration(), clock: TestClock? = nil,
    metrics: (any MetricsFactory)? = nil, _ body: (Spool) async throws -> T
) async throws -> T {
    let spool = try openSpool(directory, configuration, clock: clock, metrics: metrics)
    do {
        let result = try await body(spool)
        await spool.close()
        return result
    } catch {
        await spool.close()
        throw error
    }
}

/// Runs `body` with a fresh temporary directory named after the calling test and a spool open in
/// it (see ``withSpool(in:_:clock:metrics:_:)``); the directory is removed afterwards.
func withTemporarySpool<T>(
    _ configuration: SpoolConfiguration = smallConfiguration(), clock: TestClock? = nil,
    metrics: (any MetricsFactory)? = nil, name: String = #function,
    _ body: (Spool, TemporaryDirectory) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory(name)
    defer { directory.remove() }
    return try await withSpool(in: directory.path, configuration, clock: clock, metrics: metrics) { spool in
        try await body(spool, directory)
    }
}

/// Payload number `index` of a test: its index in the first 8 bytes, then derived filler.
func testPayload(_ index: Int, size: Int = 1000) -> [UInt8] {
    var bytes = withUnsafeBytes(of: UInt64(index).littleEndian) { Array($0) }
    bytes.reserveCapacity(max(size, 8))
    while bytes.count < size { bytes.append(UInt8(truncatingIfNeeded: index &* 31 &+ bytes.count)) }
    return bytes
}

extension Spool {
    /// Every durable record after the acknowledged mark, oldest first (the replay's own read path,
    /// without window or pacing).
    func readAll() -> [SpoolRecord] {
        var records: [SpoolRecord] = []
        var position: ReplayPosition?
        while true {
            let step = replayStep(after: records.last?.sequence, position: position, inFlight: [], limit: 1)
            guard let record = step.record else { return records }
            records.append(record)
            position = step.position
        }
    }

    /// Appends ``testPayload(_:size:)`` of every index in `indices`, each counting `resultCount` results.
    func appendTestPayloads(_ indices: Range<Int>, resultCount: UInt32 = 1) async throws {
        for index in indices { _ = try await append(payload: testPayload(index), resultCount: resultCount) }
    }

    /// The segment files on disk, oldest first.
    nonisolated func segmentFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".seg") }.sorted()
    }
}
