import Foundation
import OutpostTestSupport

/// A legacy WARD OPS SQLite database built for a test by scripts/lib/legacy-fixture.py: the legacy's
/// schema, realistic and messy rows, and SNMP secrets encrypted by Python's `cryptography`
/// Fernet (the library the legacy used) under two known keys.
struct LegacyFixture {
    let path: String
    /// Plays WARD_ENCRYPTION_KEY and ENCRYPTION_KEY.
    let key1: String
    let key2: String
    let key1File: String
    let key2File: String
    /// The same tables as PostgreSQL statements, one per line (when asked for).
    let postgresSQL: String?

    /// Builds the database in `directory`, with `pings` extra ping rows, the legacy's 10 s rounds ending a minute ago.
    static func make(
        in directory: String, now: Date, pings: Int = 0, branches: Int = 0, devices: Int = 0, postgres: Bool = false
    ) async throws -> LegacyFixture {
        let script = Harness.repositoryFile("scripts/lib/legacy-fixture.py")
        let key1 = randomKey()
        let key2 = randomKey()
        let path = directory + "/ward_ops.db"
        let sql = directory + "/ward_ops.sql"
        try await Command.output(
            try python(),
            [
                script, path, key1, key2, String(now.timeIntervalSince1970), String(pings), String(branches),
                String(devices),
            ] + (postgres ? [sql] : []))
        let key1File = directory + "/ward.key"
        let key2File = directory + "/api.key"
        try (key1 + "\n").write(toFile: key1File, atomically: true, encoding: .utf8)
        try key2.write(toFile: key2File, atomically: true, encoding: .utf8)
        return LegacyFixture(
            path: path, key1: key1, key2: key2, key1File: key1File, key2File: key2File,
            postgresSQL: postgres ? sql : nil)
    }

    /// A Fernet key: 32 random bytes, URL-safe base64.
    static func randomKey() -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// A Python with `cryptography`: `$OUTPOST_LEGACY_PYTHON`, the repository's `.build-py`
    /// (scripts/test installs it there), else `python3` from the PATH.
    static func python() throws -> String {
        if let python = ProcessInfo.processInfo.environment["OUTPOST_LEGACY_PYTHON"] { return python }
        let venv = Harness.repositoryFile(".build-py/bin/python3")
        if FileManager.default.isExecutableFile(atPath: venv),
            (try? BlockingCommand.run(venv, ["-c", "import cryptography"], allowFailure: true).status) == 0
        {
            return venv
        }
        return "python3"
    }
}
