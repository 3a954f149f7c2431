import Foundation

/// The position after the last device of a page (keyset pagination): its sort keys and id,
/// with the order they belong to. Opaque to clients: base64url of a small JSON document, checked
/// in full when it comes back, so a forged cursor is a ``InputError`` and never reaches SQL.
struct DeviceCursor: Codable, Equatable {
    /// The order the keys belong to.
    var sort: DeviceSort
    var descending: Bool
    /// The sort keys as the query selects them (text; the `updated` key is microseconds since 1970).
    var keys: [String]
    /// The last device's id.
    var id: UUID

    private enum CodingKeys: String, CodingKey {
        case sort = "s"
        case descending = "d"
        case keys = "k"
        case id = "i"
    }

    /// The opaque text handed to clients.
    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Decodes and checks `text` for a query ordered by `sort` in direction `descending`.
    init(_ text: String, sort expectedSort: DeviceSort, descending expectedDescending: Bool) throws(InputError) {
        func refuse(_ reason: String) -> InputError { InputError(field: "cursor", reason: reason) }
        guard text.utf8.count <= 2048 else { throw refuse("is too long") }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(Self.self, from: data)
        else { throw refuse("is not a cursor of this list") }
        guard cursor.sort == expectedSort, cursor.descending == expectedDescending else {
            throw refuse("belongs to another sort order")
        }
        guard cursor.keys.count == Self.keyCount(of: expectedSort),
            cursor.keys.allSatisfy({ $0.unicodeScalars.count <= 1000 && !$0.unicodeScalars.contains("\0") })
        else { throw refuse("is not a cursor of this list") }
        if expectedSort == .updated, Int64(cursor.keys[0]) == nil { throw refuse("is not a cursor of this list") }
        self = cursor
    }

    /// Creates the cursor after a device whose keys are `keys`.
    init(sort: DeviceSort, descending: Bool, keys: [String], id: UUID) {
        self.sort = sort
        self.descending = descending
        self.keys = keys
        self.id = id
    }

    /// How many keys precede the id in `sort`.
    static func keyCount(of sort: DeviceSort) -> Int {
        sort == .branch ? 2 : 1
    }
}
