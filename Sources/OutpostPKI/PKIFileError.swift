#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A key, certificate or state file could not be read or written.
public struct PKIFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong with the file.
    public enum Kind: Equatable, Sendable {
        /// The file does not exist.
        case notFound
        /// The file exists and writing it would overwrite it.
        case alreadyExists
        /// The file is larger than the limit (bytes) for its kind.
        case tooLarge(limit: Int)
        /// The file is not what it should be (bad PEM, wrong key type, key and certificate disagree).
        case invalidContent(String)
        /// A system call failed with this `errno`.
        case system(operation: String, errno: Int32)
        /// A secret file (private or master key) grants access beyond what its kind allows
        /// (these permission bits).
        case tooPermissive(mode: mode_t)
    }

    /// The file concerned.
    public let path: String
    /// What went wrong.
    public let kind: Kind

    /// Creates an error about `path`.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .notFound: "\(path): no such file"
        case .alreadyExists: "\(path): already exists"
        case .tooLarge(let limit): "\(path): larger than \(limit) bytes"
        case .invalidContent(let reason): "\(path): \(reason)"
        case .system(let operation, let code): "\(path): \(operation) failed: \(String(cString: strerror(code)))"
        case .tooPermissive(let mode):
            "\(path): mode \(String(mode, radix: 8)) lets other users access this secret key; run chmod 600 \(path)"
        }
    }
}
