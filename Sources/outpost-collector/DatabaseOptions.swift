import ArgumentParser
import OutpostCollector
import OutpostSettings
import OutpostStore

/// The configuration file and the database, shared by every collector command: `--config`
/// (else `$OUTPOST_COLLECTOR_CONFIG`, else `/etc/outpost/collector.toml` if it exists) and
/// `--database-url` (else `$OUTPOST_DATABASE_URL`, else `database_url` in the file).
struct DatabaseOptions: ParsableArguments {
    @Option(
        help:
            "TOML configuration file (default: $OUTPOST_COLLECTOR_CONFIG, else /etc/outpost/collector.toml if it exists)."
    )
    var config: String?

    @Option(
        name: .customLong("database-url"),
        help:
            "postgres://user[:password]@host:port/database (default: $OUTPOST_DATABASE_URL, or database_url in the configuration file)"
    )
    var databaseURL: String?

    /// The collector's settings with `flags` from the command line.
    func settings(_ flags: CollectorSettings.Flags = CollectorSettings.Flags()) throws -> CollectorSettings {
        var flags = flags
        flags.databaseURL = databaseURL
        return try Self.validating { try CollectorSettings(config: config, flags: flags) }
    }

    /// The parsed URL; a clear error naming the option when missing or malformed.
    func resolve() throws -> DatabaseURL {
        let settings = try settings()
        return try Self.validating { try settings.databaseURL() }
    }

    /// Runs `body`, turning a settings error into a command-line validation error.
    static func validating<Value>(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let error as SettingsError {
            throw ValidationError(error.description)
        }
    }
}
