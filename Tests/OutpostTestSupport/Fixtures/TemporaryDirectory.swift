import Foundation

/// A fresh directory under the system temp directory, readable by every user (snmpsim drops
/// its privileges to `nobody`), removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let path: String

    /// Creates `outpost-<name>-<random>`; `name` defaults to the calling function's.
    public init(_ name: String = #function) throws {
        let safe = name.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        path = FileManager.default.temporaryDirectory.path + "/outpost-\(safe)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    /// The directory as a file URL.
    public var url: URL { URL(fileURLWithPath: path) }

    /// A path inside the directory (not created).
    public func child(_ name: String) -> String { path + "/" + name }

    /// Deletes the directory and everything in it.
    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs `body` with the path of a fresh directory, removed when `body` returns.
public func withTemporaryDirectory<T>(_ name: String = #function, _ body: (String) async throws -> T) async throws -> T
{
    let directory = try TemporaryDirectory(name)
    defer { directory.remove() }
    return try await body(directory.path)
}
