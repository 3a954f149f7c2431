import Foundation

/// Fresh directories for a test's files.
public enum TemporaryDirectory {
    /// A new directory readable by every user (snmpsim drops its privileges to `nobody`).
    public static func create(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return url
    }
}
