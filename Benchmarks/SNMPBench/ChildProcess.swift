import Foundation
import Synchronization

/// Child processes for the benchmark (snmpd, snmpget, snmpbulkwalk), started with
/// posix_spawn: Foundation's `Process` on Linux reaps children in a way that blocks on a
/// long-running sibling (snmpd) and then never sees short-lived children exit.
final class ChildProcess: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t

    private init(pid: pid_t) { self.pid = pid }

    /// Serialises pipe set-up and spawning, so no child inherits another child's pipe.
    private static let spawnLock = Mutex(())

    /// Starts a long-running process with its output discarded.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> ChildProcess
    {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard null >= 0 else { throw Failure(description: "cannot open /dev/null") }
        defer { close(null) }
        return try spawnLock.withLock { _ in try spawn(executable, arguments, environment: environment, outputFD: null)
        }
    }

    /// Runs `executable` to completion and returns its standard output; throws on a non-zero exit.
    static func output(_ executable: String, _ arguments: [String]) throws -> String {
        var fds: [Int32] = [0, 0]
        let child = try spawnLock.withLock { _ throws -> ChildProcess in
            guard pipe(&fds) == 0 else { throw Failure(description: "pipe failed") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            do {
                return try spawn(executable, arguments, environment: [:], outputFD: fds[1])
            } catch {
                close(fds[0])
                close(fds[1])
                throw error
            }
        }
        close(fds[1])
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count > 0 { data += buffer[0..<count] } else if count < 0 && errno == EINTR { continue } else { break }
        }
        close(fds[0])
        let status = child.wait()
        guard status == 0 else { throw Failure(description: "\(executable) exited with status \(status)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Kills the process and reaps it.
    func terminate() {
        kill(pid, SIGKILL)
        wait()
    }

    @discardableResult
    private func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func spawn(
        _ executable: String, _ arguments: [String], environment: [String: String], outputFD: Int32
    ) throws -> ChildProcess {
        var merged = ProcessInfo.processInfo.environment
        merged["MIBS"] = ""
        merged.merge(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw Failure(description: "cannot start \(executable): error \(result)") }
        return ChildProcess(pid: pid)
    }
}
