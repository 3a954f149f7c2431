import Glibc

/// Keeps a spawned child from inheriting this process's descriptors beyond 0, 1 and 2.
///
/// A long-lived child (postgres, snmpd) would otherwise hold the test process's sockets open
/// for ever: a listener a test closed would still queue connections nobody accepts, and a
/// client connection would never reach its peer's EOF.
public enum InheritedDescriptors {
    /// Adds "close every descriptor from 3 up" to `actions` (glibc 2.34+
    /// `posix_spawn_file_actions_addclosefrom_np`, which Swift's Glibc module does not export).
    public static func closeAll(in actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
    }
}
