import ArgumentParser
import OutpostCollector
import OutpostPKI

/// `--master-key-file`: where the collector's master key is (else `master_key_file` from the
/// environment or the configuration file, else the key itself in `OUTPOST_MASTER_KEY`).
struct MasterKeyOptions: ParsableArguments {
    @Option(
        name: .customLong("master-key-file"),
        help:
            "File holding the master key that encrypts SNMP credentials (default: $OUTPOST_MASTER_KEY_FILE, master_key_file, or the base64 key in $OUTPOST_MASTER_KEY)."
    )
    var masterKeyFile: String?

    /// The key; a clear error when none is configured or it is unreadable.
    func resolve(_ database: DatabaseOptions) throws -> MasterKey {
        var flags = CollectorSettings.Flags()
        flags.masterKeyFile = masterKeyFile
        let settings = try database.settings(flags)
        return try DatabaseOptions.validating { try settings.masterKey() }
    }
}
