import Foundation

/// Writes `text` to `path` (test fixtures).
func writeText(_ text: String, to path: String) throws {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
}

/// The bytes of the file at `path`.
func contents(of path: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: path))
}

/// The permission bits of `path`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// The trimmed line following the line containing `marker`.
func lineAfter(_ marker: String, in text: String) -> String? {
    let lines = text.split(separator: "\n")
    guard let index = lines.firstIndex(where: { $0.contains(marker) }), index + 1 < lines.count else { return nil }
    return lines[index + 1].trimmingCharacters(in: .whitespaces)
}
