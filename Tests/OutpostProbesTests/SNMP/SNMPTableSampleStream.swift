import Foundation
import Logging
import OutpostCore
import OutpostProbes
import Synchronization

/// An ``ItemPoller`` running in the background whose samples a test awaits one condition at a time.
final class SNMPTableSampleStream: Sendable {
    /// The samples so far, shared with the poller's task.
    private final class Received: Sendable {
        let samples = Mutex<[ItemSample]>([])
    }

    private let engine: SNMPEngine
    private let task: Task<Void, Never>
    private let received: Received
    private let changes: AsyncStream<Void>

    /// Starts polling `devices` on UDP `port`, waiting `timeout` for each answer.
    init(_ devices: [AgentConfiguration.Device], port: UInt16, timeout: Duration = .seconds(1)) throws {
        let engine = try SNMPEngine()
        let poller = ItemPoller(
            engine: engine, port: port, timeout: timeout, logger: Logger(label: "outpost.test.tables"))
        let (changes, notify) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let received = Received()
        self.engine = engine
        self.changes = changes
        self.received = received
        task = Task {
            await poller.run(devices: devices) { sample in
                received.samples.withLock { $0.append(sample) }
                notify.yield()
            }
            notify.finish()
        }
    }

    /// Every sample so far.
    var all: [ItemSample] { received.samples.withLock { $0 } }

    /// Waits until `condition` holds for the samples so far (at most `seconds`); returns them.
    func wait(
        seconds: Double = 15, _ what: String, until condition: @escaping @Sendable ([ItemSample]) -> Bool
    ) async throws -> [ItemSample] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        if condition(all) { return all }
        for await _ in changes {
            if condition(all) { return all }
            if ContinuousClock.now > deadline { break }
        }
        struct Timeout: Error, CustomStringConvertible { let description: String }
        let errors = Set(all.compactMap(\.error)).sorted().prefix(3)
        throw Timeout(description: "no \(what) within \(seconds) s; \(all.count) samples, errors: \(errors)")
    }

    /// Stops the poller and the engine.
    func stop() async {
        task.cancel()
        await task.value
        await engine.shutdown()
    }
}
