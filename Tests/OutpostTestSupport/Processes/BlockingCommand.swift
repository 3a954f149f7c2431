import Foundation

/// Runs a tool to completion on the calling thread, for the calls that cannot await: network
/// namespace set-up in initialisers and their clean-up in `defer`, and a private PostgreSQL
/// cluster stopped in `deinit`. Everything else uses ``Command`` (swift-subprocess).
///
/// Spawns with `posix_spawn` and waits with `waitpid` on that pid alone, the output going to
/// temporary files: a daemon the command starts (pg_ctl starting postgres) inherits them and
/// outlives the command, which a pipe reader would wait for forever. swift-subprocess offers
/// no synchronous call, and blocking on its asynchronous one from a cooperative thread can
/// starve the pool it needs to finish.
public enum BlockingCommand {
    /// Runs `tool` (a path, or a name found in ``Harness/searchPath``); throws with its output
    /// when it exits non-zero unless `allowFailure`.
    @discardableResult
    public static func run(_ tool: String, _ arguments: [String], allowFailure: Bool = false) throws -> Command.Output {
        let path = tool.hasPrefix("/") ? tool : try Harness.path(of: tool)
        let base = NSTemporaryDirectory() + "outpost-command-" + UUID().uuidString
        let (outputPath, errorPath) = (base + ".out", base + ".err")
        defer {
            unlink(outputPath)
            unlink(errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        closeInheritedDescriptors(in: &actions)
        // Children must not inherit the spawning thread's blocked signals (dispatch blocks many).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw TestEnvironmentError("cannot run \(path): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = Command.Output(
            status: code,
            standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
        guard code == 0 || allowFailure else {
            throw TestEnvironmentError("\(path) \(arguments.joined(separator: " ")) exited \(code): \(output.combined)")
        }
        return output
    }

    /// Adds "close every descriptor from 3 up" (glibc 2.34+ `posix_spawn_file_actions_addclosefrom_np`,
    /// which Swift's Glibc module does not export): a long-lived child (postgres) would otherwise
    /// hold the test process's sockets open for ever.
    private static func closeInheritedDescriptors(in actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }
}
