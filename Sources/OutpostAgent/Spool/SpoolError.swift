import OutpostCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a spool operation failed.
public enum SpoolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A configuration value is out of range; the text names it.
    case invalidConfiguration(String)
    /// Another process (or another `Spool`) holds the spool directory.
    case directoryInUse(path: String)
    /// The payload is larger than ``SpoolConfiguration/maxRecordBytes`` allows.
    case recordTooLarge(bytes: Int, limit: Int)
    /// An acknowledgement named a sequence the spool never made durable: a peer bug, ignored.
    case acknowledgementBeyondDurable(requested: BatchSequence, durableThrough: BatchSequence)
    /// The spool was closed.
    case closed
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .invalidConfiguration(let what):
            "invalid spool configuration: \(what)"
        case .directoryInUse(let path):
            "spool directory \(path) is in use by another process"
        case .recordTooLarge(let bytes, let limit):
            "spool record of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .acknowledgementBeyondDurable(let requested, let durable):
            "acknowledgement of sequence \(requested) beyond the last durable sequence \(durable)"
        case .closed:
            "spool is closed"
        case .io(let operation, let path, let errno):
            "spool \(operation) \(path) failed: errno \(errno)"
        }
    }

    /// The file system ran out of space (or quota).
    var isNoSpace: Bool {
        if case .io(_, _, let code) = self { return code == ENOSPC || code == EDQUOT }
        return false
    }
}
