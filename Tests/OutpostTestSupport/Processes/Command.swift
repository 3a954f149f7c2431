import Foundation
import Subprocess

/// Runs command-line tools to completion for the tests (openssl, snmpwalk, python3, the
/// collector's commands) through swift-subprocess: the child's descriptors beyond 0, 1 and 2
/// are closed, and waiting never blocks a thread of the cooperative pool.
///
/// Tools that start a daemon which keeps their output open (pg_ctl), and calls that cannot
/// await (initialisers, `defer`), use ``BlockingCommand`` instead.
public enum Command {
    /// What a command printed and how it ended.
    public struct Output: Sendable {
        /// The exit code, or 128 + the signal that ended it.
        public let status: Int32
        /// What it wrote to standard output.
        public let standardOutput: String
        /// What it wrote to standard error.
        public let standardError: String

        /// Standard output followed by standard error.
        public var combined: String { standardOutput + standardError }
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` and the test
    /// process's environment updated with `environment`; killed after `timeLimit` when given.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeLimit: Duration? = nil
    ) async throws -> Output {
        let configuration = Configuration(
            executable: executable.contains("/") ? .path(.init(executable)) : .name(executable),
            arguments: Arguments(arguments),
            environment: Self.environment(environment))
        let collect: @Sendable () async throws -> Output = {
            let result = try await Subprocess.run(
                configuration, output: .string(limit: outputLimit), error: .string(limit: outputLimit))
            return Output(
                status: result.terminationStatus.code, standardOutput: result.standardOutput,
                standardError: result.standardError)
        }
        guard let timeLimit else { return try await collect() }
        return try await withThrowingTaskGroup(of: Output?.self) { group in
            group.addTask { try await collect() }
            group.addTask {
                try await Task.sleep(for: timeLimit)
                return nil
            }
            // Cancelling the run kills the child (swift-subprocess's teardown ends with SIGKILL).
            defer { group.cancelAll() }
            guard let first = try await group.next(), let output = first else {
                throw TestEnvironmentError(
                    "\(executable) \(arguments.joined(separator: " ")) did not end within \(timeLimit)")
            }
            return output
        }
    }

    /// Runs the command; throws with what it printed unless it exits 0. Returns its standard
    /// output followed by its standard error.
    @discardableResult
    public static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:])
        async throws -> String
    {
        let output = try await run(executable, arguments, environment: environment)
        guard output.status == 0 else {
            throw TestEnvironmentError(
                "\(executable) \(arguments.joined(separator: " ")) exited \(output.status): \(output.combined)")
        }
        return output.combined
    }

    /// The test process's environment updated with `changes`; net-snmp's tools load no MIB
    /// files (`MIBS` empty), whose warnings would mix with what the tests parse.
    static func environment(_ changes: [String: String]) -> Environment {
        let updates = ["MIBS": ""].merging(changes) { $1 }.compactMap { key, value in
            Environment.Key(rawValue: key).map { ($0, Optional(value)) }
        }
        return Environment.inherit.updating(Dictionary(uniqueKeysWithValues: updates))
    }

    /// `path` when it is an executable file; throws naming the package to install otherwise.
    public static func require(_ path: String, hint: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestEnvironmentError("required tool missing: \(path) (\(hint))")
        }
        return path
    }

    /// More than any tool of the tests prints (an snmpwalk of a recorded device).
    private static let outputLimit = 64 << 20
}

extension TerminationStatus {
    /// The exit code, or 128 + the signal, as a shell reports it.
    public var code: Int32 {
        switch self {
        case .exited(let code): Int32(code)
        case .signaled(let signal): 128 + Int32(signal)
        }
    }

    /// Whether a signal ended the process.
    public var wasSignaled: Bool {
        if case .signaled = self { true } else { false }
    }
}
