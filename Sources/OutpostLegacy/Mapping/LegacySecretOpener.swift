import Foundation

/// Opens the legacy's secret columns: a Fernet token under one of the keys given (the legacy
/// had two, `WARD_ENCRYPTION_KEY` and `ENCRYPTION_KEY`), else a value that is not a token is
/// the plaintext one legacy script stored as it was. Counts which rows needed which.
struct LegacySecretOpener: Sendable {
    /// How a value was opened.
    enum Opened: Equatable {
        case key(String)
        case plaintext
    }

    /// A token that no key opens: the key given is wrong (or missing).
    struct WrongKey: Error, CustomStringConvertible {
        let places: [String]
        var description: String {
            "\(places.count) Fernet token(s) open with none of the keys given (wrong or missing --fernet-key-file), "
                + "e.g. \(places.prefix(3).joined(separator: ", ")); nothing was written"
        }
    }

    let keys: [FernetKey]

    /// The plaintext of `value` and how it was opened; `nil` for NULL.
    func open(_ value: String?) throws -> (text: String, how: Opened)? {
        guard let value else { return nil }
        guard Fernet.looksLikeToken(value) else { return (value, .plaintext) }
        for key in keys {
            if let data = try? Fernet.decrypt(value, key: key) {
                return (String(decoding: data, as: UTF8.self), .key(key.label))
            }
        }
        throw WrongKey(places: [])
    }

    /// Checks every token of the secret columns before anything is written.
    func check(_ rows: [LegacyRow], columns: [String]) throws {
        var failed: [String] = []
        for row in rows {
            for column in columns {
                guard let value = row.text(column), Fernet.looksLikeToken(value) else { continue }
                if !keys.contains(where: { (try? Fernet.decrypt(value, key: $0)) != nil }) {
                    failed.append("\(row.table).\(column) of \(LegacyIdentifier.key(row.text("id") ?? "?"))")
                }
            }
        }
        if !failed.isEmpty { throw WrongKey(places: failed) }
    }
}
