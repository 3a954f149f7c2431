import Foundation
import TOMLKit

/// A TOML configuration file read into dotted keys (`[spool] max_bytes = …` is
/// `spool.max_bytes`). Scalars are kept as their TOML text form; arrays as lists of it.
public struct SettingsFile: Sendable {
    /// A value of the file: one scalar, or an array of scalars.
    public enum Value: Sendable, Equatable {
        case scalar(String)
        case list([String])
    }

    /// The file's path.
    public let path: String
    /// Every key, dotted.
    public let values: [String: Value]

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: ``SettingsError`` when the file cannot be read, is not TOML (with line and
    ///   column), or holds values that are not scalars or arrays of scalars.
    public init(path: String) throws(SettingsError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SettingsError("\(path): cannot read the configuration file (\(error.localizedDescription))")
        }
        try self.init(text: text, path: path)
    }

    /// Parses `text` as the file at `path`.
    public init(text: String, path: String) throws(SettingsError) {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw SettingsError(
                "\(path):\(error.source.begin.line):\(error.source.begin.column): not valid TOML: \(error.description)")
        } catch {
            throw SettingsError("\(path): not valid TOML: \(error)")
        }
        var values: [String: Value] = [:]
        try Self.flatten(table, prefix: "", path: path, into: &values)
        self.path = path
        self.values = values
    }

    private static func flatten(_ table: TOMLTable, prefix: String, path: String, into values: inout [String: Value])
        throws(SettingsError)
    {
        for (key, value) in table {
            let name = prefix + key
            if let nested = value.table {
                try flatten(nested, prefix: name + ".", path: path, into: &values)
            } else if let array = value.array {
                var items: [String] = []
                for element in array {
                    guard let scalar = scalarText(element) else {
                        throw SettingsError("\(path): \(name): arrays may hold only strings, numbers and booleans")
                    }
                    items.append(scalar)
                }
                values[name] = .list(items)
            } else if let scalar = scalarText(value) {
                values[name] = .scalar(scalar)
            } else {
                throw SettingsError(
                    "\(path): \(name): unsupported value type (use strings, numbers, booleans or arrays of them)")
            }
        }
    }

    private static func scalarText(_ value: TOMLValueConvertible) -> String? {
        if let string = value.string { return string }
        if let int = value.int { return String(int) }
        if let double = value.double { return String(double) }
        if let bool = value.bool { return String(bool) }
        return nil
    }
}
