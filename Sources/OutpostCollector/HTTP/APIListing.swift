/// A JSON object holding one list under a name: `{"devices": [...]}` (room to add fields later,
/// unlike a bare array).
struct APIListing<Item: Encodable & Sendable>: Encodable, Sendable {
    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let name: String
    let items: [Item]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: name))
    }
}
