import Foundation
import Synchronization

/// Runs command-line tools for the tests (snmpd, snmpwalk, snmpsim, bzcat).
public enum ExternalProcess {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    /// A child started with posix_spawn. Foundation's `Process` is not used: on Linux its
    /// child reaper blocks in waitpid on a long-running sibling (snmpd) and then never sees
    /// short-lived children exit.
    public final class Child {
        public let pid: pid_t
        private var reaped = false

        init(pid: pid_t) { self.pid = pid }

        public var isRunning: Bool {
            guard !reaped else { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { reaped = true }
            return !reaped
        }

        /// Waits for the exit and returns the exit status (or 128 + signal).
        @discardableResult
        public func wait() -> Int32 {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            reaped = true
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        }

        public func terminate() {
            guard isRunning else { return }
            kill(pid, SIGKILL)
            wait()
        }
    }

    /// Runs `executable` to completion and returns its standard output (and error). The
    /// blocking read and wait happen on a thread of their own, never on the cooperative pool
    /// (tests run in parallel; a blocked pool would delay every other test's continuations).
    public static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try blockingOutput(executable, arguments, environment: environment) })
            }
            thread.start()
        }
    }

    private static func blockingOutput(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> String {
        var fds: [Int32] = [0, 0]
        // The pipe is close-on-exec before any other spawn of these tests can run (they all
        // take `spawnLock`): a child started meanwhile (a long-running snmpd) must not inherit
        // the write end, or this read would wait for that child to exit.
        let child = try spawnLock.withLock { _ throws -> Child in
            guard pipe(&fds) == 0 else { throw Failure(description: "pipe failed") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            do {
                return try spawn(executable, arguments, environment: environment, outputFD: fds[1])
            } catch {
                close(fds[0]); close(fds[1])
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
        guard status == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(status)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Starts a long-running process whose output goes to `logFile`.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:], logFile: URL) throws -> Child {
        let fd = open(logFile.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "cannot open \(logFile.path)") }
        defer { close(fd) }
        return try spawnLock.withLock { _ in try spawn(executable, arguments, environment: environment, outputFD: fd) }
    }

    /// Fails with a clear message when a required tool is missing.
    public static func require(_ path: String, hint: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "required tool missing: \(path) (\(hint))")
        }
        return path
    }

    /// Serialises pipe set-up and spawning of all tests' children.
    private static let spawnLock = Mutex(())

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], outputFD: Int32) throws -> Child {
        var merged = ProcessInfo.processInfo.environment
        merged["MIBS"] = ""
        merged.merge(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        InheritedDescriptors.closeAll(in: &actions)
        // Children must not inherit the spawning thread's blocked signals (dispatch blocks many).
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
        return Child(pid: pid)
    }

    /// A UDP port on 127.0.0.1 that was free a moment ago.
    public static func freeUDPPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddrPointer in
                bind(fd, sockaddrPointer, length) == 0 && getsockname(fd, sockaddrPointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind failed") }
        return UInt16(bigEndian: address.sin_port)
    }

    /// A fresh directory readable by every user (snmpsim drops privileges to nobody).
    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return url
    }
}
