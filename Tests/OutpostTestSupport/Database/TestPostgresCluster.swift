import Foundation
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
        if let osUser { try BlockingCommand.run("/bin/chown", [osUser, directory]) }
        try pg(
            "initdb", ["-D", "\(directory)/data", "-U", "outpost", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
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
        if let osUser { try BlockingCommand.run("/bin/chown", [osUser, destination]) }
    }

    deinit {
        try? pg("pg_ctl", ["-D", "\(directory)/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    public func start() throws {
        try pg(
            "pg_ctl",
            [
                "-D", "\(directory)/data", "-l", "\(directory)/log", "-w", "-t", "60", "start",
                "-o", "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off" + extraOptions,
            ])
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
                let end = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            return fields.count > 1 && pid_t(fields[1]) == parent ? pid : nil
        }
    }

    private func pg(_ tool: String, _ arguments: [String]) throws {
        let path = "\(binDirectory)/\(tool)"
        if let osUser {
            try BlockingCommand.run("/usr/sbin/runuser", ["-u", osUser, "--", path] + arguments)
        } else {
            try BlockingCommand.run(path, arguments)
        }
    }
}
