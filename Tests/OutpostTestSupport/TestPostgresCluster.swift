import Foundation
import OutpostProbesTestSupport
import OutpostStore

/// A private PostgreSQL cluster for tests that stop and restart the server (the shared test
/// cluster must stay up for the tests running beside them). Uses the binaries and the
/// unprivileged OS user that `scripts/test` provides.
public final class TestPostgresCluster: Sendable {
    public let port: Int
    public let url: DatabaseURL
    private let directory: String
    private let binDirectory: String
    private let osUser: String?
    /// Extra server options on every start (TLS).
    private let extraOptions: String

    /// A server certificate and its key, as PEM files.
    public struct TLSFiles: Sendable {
        public let certificate: String
        public let key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// Creates and starts a cluster on a free loopback port; with `tls`, the server runs with
    /// `ssl=on` and presents that certificate (copied into its data directory).
    public init(tls: TLSFiles? = nil) throws {
        let environment = ProcessInfo.processInfo.environment
        guard let bin = environment["OUTPOST_TEST_PG_BINDIR"] else {
            throw TestEnvironmentError("OUTPOST_TEST_PG_BINDIR is not set: run the tests with scripts/test")
        }
        binDirectory = bin
        osUser = getuid() == 0 ? (environment["OUTPOST_TEST_PG_USER"] ?? "outpost") : nil
        directory = NSTemporaryDirectory() + "outpost-pg-" + UUID().uuidString.prefix(8)
        port = try FreePort.tcp()
        url = try DatabaseURL("postgres://outpost@127.0.0.1:\(port)/postgres")
        extraOptions = tls == nil ? "" : " -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if let osUser { try Subprocess.run("/bin/chown", [osUser, directory]) }
        try pg("initdb", ["-D", "\(directory)/data", "-U", "outpost", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        if let tls {
            try installServerFile(tls.certificate, as: "server.crt")
            try installServerFile(tls.key, as: "server.key")
        }
        try start()
    }

    /// Copies `source` into the data directory as `name`, the server's own with mode 0600
    /// (PostgreSQL refuses a key others may read).
    private func installServerFile(_ source: String, as name: String) throws {
        let destination = "\(directory)/data/\(name)"
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: destination)
        if let osUser { try Subprocess.run("/bin/chown", [osUser, destination]) }
    }

    deinit {
        try? pg("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    public func start() throws {
        try pg("pg_ctl", ["-D", "\(directory)/data", "-l", "\(directory)/log", "-w", "-t", "60", "start",
                          "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off" + extraOptions])
    }

    /// Stops the server abruptly, as a crash would (`-m immediate`).
    public func kill() throws {
        try pg("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
    }

    /// Stops every process of the server (SIGSTOP), as a hung host or storage would: it keeps
    /// its connections and accepts new ones into the listen backlog, and answers nothing.
    public func freeze() throws {
        let postmaster = try postmasterPID()
        Glibc.kill(postmaster, SIGSTOP)
        for child in Self.children(of: postmaster) { Glibc.kill(child, SIGSTOP) }
    }

    /// Lets a frozen server run again.
    public func thaw() throws {
        let postmaster = try postmasterPID()
        for child in Self.children(of: postmaster) { Glibc.kill(child, SIGCONT) }
        Glibc.kill(postmaster, SIGCONT)
    }

    private func postmasterPID() throws -> pid_t {
        let text = try String(contentsOfFile: "\(directory)/data/postmaster.pid", encoding: .utf8)
        guard let line = text.split(separator: "\n").first, let pid = pid_t(line) else {
            throw TestEnvironmentError("no running server in \(directory)")
        }
        return pid
    }

    /// Processes whose parent is `parent` (field 4 of /proc/PID/stat, after the command name).
    private static func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry in
            guard let pid = pid_t(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let end = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }
    }

    private func pg(_ tool: String, _ arguments: [String]) throws {
        let path = "\(binDirectory)/\(tool)"
        if let osUser {
            try Subprocess.run("/usr/sbin/runuser", ["-u", osUser, "--", path] + arguments)
        } else {
            try Subprocess.run(path, arguments)
        }
    }
}

/// The test environment lacks something `scripts/test` provides.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Runs helper programs for tests.
public enum Subprocess {
    /// Runs `path` to completion; throws with its output when it exits non-zero. Returns its output.
    ///
    /// Spawns with `posix_spawn` and waits with `waitpid` on that pid alone, writing output to a
    /// temporary file: a daemon the command starts (pg_ctl starting postgres) inherits the
    /// descriptors and outlives the command, which a pipe reader or Foundation's `Process`
    /// would wait for forever.
    @discardableResult
    public static func run(_ path: String, _ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "outpost-subprocess-" + UUID().uuidString
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // pg_ctl starts postgres, which would otherwise keep this process's sockets for ever.
        InheritedDescriptors.closeAll(in: &actions)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestEnvironmentError("cannot run \(path): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw TestEnvironmentError("\(path) \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }
}

/// Free loopback ports.
public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    public static func tcp() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestEnvironmentError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw TestEnvironmentError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
