#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable, atomic file writes and bounded reads for keys and certificates.
///
/// Written by hand on POSIX calls because Foundation's atomic write neither sets the mode
/// before the content exists (a key would be readable for a moment under a loose umask) nor
/// fsyncs the file and its directory, nor can it refuse to replace an existing file atomically.
enum SecureFile {
    /// Writes `bytes` to `path`: a temporary file in the same directory created with `mode`,
    /// filled, fsynced, then renamed over `path` (or hard-linked when `replace` is false, which
    /// fails atomically if `path` exists), then the directory is fsynced.
    static func store(_ bytes: [UInt8], at path: String, mode: mode_t, replace: Bool) throws(PKIFileError) {
        let directory = parentDirectory(of: path)
        let temporary = "\(directory)/.\(baseName(of: path)).\(randomSuffix()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw systemError(path: temporary, operation: "open") }
        var renamed = false
        // After a rename the temporary name is gone; after a link (or a failure) remove it.
        defer { if !renamed { unlink(temporary) } }
        do {
            defer { close(fd) }
            // The umask may have narrowed `mode`; set it exactly, before any content exists.
            guard fchmod(fd, mode) == 0 else { throw systemError(path: temporary, operation: "fchmod") }
            try writeAll(bytes, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw systemError(path: temporary, operation: "fsync") }
        }
        if replace {
            guard rename(temporary, path) == 0 else { throw systemError(path: path, operation: "rename") }
            renamed = true
        } else {
            guard link(temporary, path) == 0 else {
                if errno == EEXIST { throw PKIFileError(path: path, kind: .alreadyExists) }
                throw systemError(path: path, operation: "link")
            }
        }
        try syncDirectory(directory)
    }

    /// Reads the whole file at `path`, refusing files larger than `limit` bytes.
    ///
    /// A secret file (a private or master key) passes the permission bits it must not have as
    /// `forbiddenMode` (e.g. 0o077: none for group and others); a file with any of them is
    /// refused with ``PKIFileError/Kind/tooPermissive(mode:)`` before its content is read. The
    /// bits are those of the opened file, so renaming another file into place after the check
    /// cannot slip past it.
    static func load(_ path: String, limit: Int, forbiddenMode: mode_t = 0) throws(PKIFileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw PKIFileError(path: path, kind: .notFound) }
            throw systemError(path: path, operation: "open")
        }
        defer { close(fd) }
        if forbiddenMode != 0 {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw systemError(path: path, operation: "fstat") }
            let mode = info.st_mode & 0o7777
            guard mode & forbiddenMode == 0 else { throw PKIFileError(path: path, kind: .tooPermissive(mode: mode)) }
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw systemError(path: path, operation: "read")
            }
            if count == 0 { return result }
            guard result.count + count <= limit else { throw PKIFileError(path: path, kind: .tooLarge(limit: limit)) }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Creates `path` as a directory with `mode` if it does not exist yet.
    static func makeDirectory(_ path: String, mode: mode_t) throws(PKIFileError) {
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw systemError(path: path, operation: "mkdir")
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(PKIFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw systemError(path: path, operation: "write")
            }
            offset += written
        }
    }

    private static func syncDirectory(_ directory: String) throws(PKIFileError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError(path: directory, operation: "open directory") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw systemError(path: directory, operation: "fsync directory") }
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func randomSuffix() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16)
    }

    private static func systemError(path: String, operation: String) -> PKIFileError {
        PKIFileError(path: path, kind: .system(operation: operation, errno: errno))
    }
}
