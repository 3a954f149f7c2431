import Foundation
import Subprocess
import Synchronization

/// A long-running child of a test (snmpd, snmpsim, the collector binary, `openssl s_server`),
/// run by swift-subprocess on a task of its own until it exits or ``stop(with:)`` ends it.
///
/// Its standard output and error are kept (``output``, ``waitForOutput(containing:)``) and
/// appended to `logFile` when given. Its standard input stays open until ``closeInput()``.
public final class ChildProcess: Sendable {
    private enum Request: Sendable {
        case signal(Signal)
        case closeInput
    }

    private struct State {
        var output = ""
        var waiters: [(text: String, continuation: CheckedContinuation<Bool, Never>)] = []
        var ended = false
    }

    /// The state the run task and the owner share.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared = Shared()
    private let requests: AsyncStream<Request>.Continuation
    private let run: Task<TerminationStatus, any Error>

    /// Starts `executable` with `arguments` and the test process's environment updated with `environment`.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], logFile: String? = nil
    ) {
        let (stream, requests) = AsyncStream<Request>.makeStream()
        self.requests = requests
        let configuration = Configuration(
            executable: .path(.init(executable)),
            arguments: Arguments(arguments),
            environment: Command.environment(environment))
        let log = logFile.flatMap { path -> FileHandle? in
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            let handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
            return handle
        }
        let shared = self.shared
        run = Task {
            defer {
                try? log?.close()
                let waiters = shared.state.withLock { state in
                    state.ended = true
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.continuation.resume(returning: false) }
            }
            let result = try await Subprocess.run(
                configuration, input: .inputWriter, output: .sequence, error: .combinedWithOutput
            ) { execution in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        for try await line in execution.standardOutput.strings() {
                            log?.write(Data((line + "\n").utf8))
                            Self.append(line + "\n", to: shared)
                        }
                        return true
                    }
                    group.addTask {
                        for await request in stream {
                            switch request {
                            case .signal(let signal): try? execution.send(signal: signal)
                            case .closeInput: try? await execution.standardInputWriter.finish()
                            }
                        }
                        // Nobody can stop it any more (the owner is gone): end it.
                        try? execution.send(signal: .kill)
                        return false
                    }
                    // Until the output ends: the child exited (or closed its output and is ending).
                    while let outputEnded = try await group.next() {
                        if outputEnded { break }
                    }
                    group.cancelAll()
                }
            }
            return result.terminationStatus
        }
    }

    deinit {
        requests.finish()
    }

    private static func append(_ text: String, to shared: Shared) {
        let ready = shared.state.withLock { state in
            state.output += text
            let output = state.output
            let (ready, waiting) = (
                state.waiters.filter { output.contains($0.text) }, state.waiters.filter { !output.contains($0.text) }
            )
            state.waiters = waiting
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    /// Whether the child still runs (its output has not ended).
    public var isRunning: Bool { !shared.state.withLock { $0.ended } }

    /// What the child printed so far (standard output and error).
    public var output: String { shared.state.withLock { $0.output } }

    /// Waits until the child printed `text`; false when it ended first.
    public func waitForOutput(containing text: String) async -> Bool {
        await withCheckedContinuation { continuation in
            let done: Bool? = shared.state.withLock { state in
                if state.output.contains(text) { return true }
                if state.ended { return false }
                state.waiters.append((text, continuation))
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    /// Sends `signal` without waiting.
    public func send(_ signal: Signal) {
        requests.yield(.signal(signal))
    }

    /// Closes the child's standard input (programs that stop at its end).
    public func closeInput() {
        requests.yield(.closeInput)
    }

    /// Sends `signal` (SIGKILL unless told) and waits until the child is gone; returns how it ended.
    @discardableResult
    public func stop(with signal: Signal = .kill) async -> TerminationStatus? {
        send(signal)
        return await ended()
    }

    /// Waits until the child exits by itself; returns how it ended (nil when it could not start).
    public func ended() async -> TerminationStatus? {
        try? await run.value
    }
}
