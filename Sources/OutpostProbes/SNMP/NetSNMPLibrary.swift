import CNetSNMP
import Synchronization

/// Process-wide net-snmp state. Debian's net-snmp is not reentrant: its USM user list and
/// engine-time cache are global, so every call that may touch them (open, send, read,
/// timeout, close, USM edits) runs under `lock`; nothing blocks while holding it (the
/// select wait happens outside).
enum NetSNMPLibrary {
    /// Serialises all net-snmp calls of all I/O loops in the process.
    static let lock = Mutex(())

    /// Initialises the library once per process (no MIBs, no config files, no persistent state).
    static func initialize() {
        _ = initialized
    }

    private static let initialized: Void = {
        lock.withLock { _ in outpost_snmp_library_init("outpost") }
    }()

    /// net-snmp's text for one of its error numbers. Call under `lock`.
    static func errorText(_ code: Int32) -> String {
        guard let text = snmp_api_errstring(code) else { return "net-snmp error \(code)" }
        return String(cString: text)
    }
}
