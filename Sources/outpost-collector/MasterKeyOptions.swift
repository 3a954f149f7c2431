import ArgumentParser
import OutpostPKI

/// Where the collector's master key is: `--master-key-file`, else `OUTPOST_MASTER_KEY_FILE`,
/// else `OUTPOST_MASTER_KEY` (base64 of 32 bytes). Never generated implicitly.
struct MasterKeyOptions: ParsableArguments {
    @Option(name: .customLong("master-key-file"),
            help: "File holding the master key that encrypts SNMP credentials (default: $OUTPOST_MASTER_KEY_FILE, or the key itself in $OUTPOST_MASTER_KEY).")
    var masterKeyFile: String?

    /// The key; a clear error when none is configured or it is unreadable.
    func resolve() throws -> MasterKey {
        do {
            if let path = masterKeyFile ?? Environment.value("OUTPOST_MASTER_KEY_FILE") {
                return try MasterKey.load(path: path)
            }
            if let text = Environment.value("OUTPOST_MASTER_KEY") {
                do {
                    return try MasterKey(base64: text)
                } catch {
                    throw ValidationError("OUTPOST_MASTER_KEY: \(error)")
                }
            }
        } catch let error as MasterKeyError {
            throw ValidationError("master key: \(error)")
        }
        throw ValidationError("""
            no master key: pass --master-key-file or set OUTPOST_MASTER_KEY_FILE or OUTPOST_MASTER_KEY \
            (create one with `outpost-collector credentials master-key create FILE`; keep it safe: without it the stored credentials are lost)
            """)
    }
}
