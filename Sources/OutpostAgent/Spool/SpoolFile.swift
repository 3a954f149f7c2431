#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file descriptor with the few positional operations the spool needs; errors carry errno.
/// A class so that exactly one owner closes it, when the last reference goes.
final class SpoolFile {
    private(set) var descriptor: Int32
    let path: String

    /// Opens `path` read-write, creating it (mode 0600) when `create` is set.
    init(path: String, create: Bool, exclusive: Bool = false) throws(SpoolError) {
        var flags = O_RDWR | O_CLOEXEC
        if create { flags |= O_CREAT }
        if exclusive { flags |= O_EXCL }
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw SpoolError.io(operation: "open", path: path, errno: errno) }
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close() }

    /// Closes the descriptor (releasing any lock); later operations fail with EBADF.
    func close() {
        guard descriptor >= 0 else { return }
        _ = systemClose(descriptor)
        descriptor = -1
    }

    /// The file's current size.
    func size() throws(SpoolError) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SpoolError.io(operation: "fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    /// Writes all of `bytes` at `offset`; a short write (disk full) throws.
    func write(_ bytes: [UInt8], at offset: Int64) throws(SpoolError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(offset) + off_t(written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io(operation: "write", path: path, errno: errno)
            }
            written += result
        }
    }

    /// Reads exactly `count` bytes at `offset`, or fewer when the file ends first.
    func read(count: Int, at offset: Int64) throws(SpoolError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError.io(operation: "read", path: path, errno: errno)
            }
            if result == 0 { break }
            filled += result
        }
        if filled < count { bytes.removeLast(count - filled) }
        return bytes
    }

    /// Forces written data (and the size) to stable storage.
    func sync() throws(SpoolError) {
        #if canImport(Glibc)
            let result = fdatasync(descriptor)
        #else
            let result = fsync(descriptor)
        #endif
        guard result == 0 else { throw SpoolError.io(operation: "fdatasync", path: path, errno: errno) }
    }

    /// Cuts the file to `length` bytes (never needs free space).
    func truncate(to length: Int64) throws(SpoolError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else {
            throw SpoolError.io(operation: "ftruncate", path: path, errno: errno)
        }
    }

    /// Takes an exclusive advisory lock without waiting; false when another holder has it.
    func tryLock() -> Bool {
        flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// Directory operations: creation, listing, entry durability.
enum SpoolDirectory {
    /// Creates `path` (mode 0700) unless it exists.
    static func create(_ path: String) throws(SpoolError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw SpoolError.io(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// The names in `path`, without `.` and `..`.
    static func entries(_ path: String) throws(SpoolError) -> [String] {
        guard let directory = opendir(path) else { throw SpoolError.io(operation: "opendir", path: path, errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Makes creations, renames and deletions of entries in `path` durable.
    static func sync(_ path: String) throws(SpoolError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError.io(operation: "open", path: path, errno: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SpoolError.io(operation: "fsync", path: path, errno: errno) }
    }

    /// Deletes a file; a missing file is not an error.
    static func remove(_ path: String) throws(SpoolError) {
        if unlink(path) != 0, errno != ENOENT {
            throw SpoolError.io(operation: "unlink", path: path, errno: errno)
        }
    }
}
