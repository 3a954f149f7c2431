/// The fields of a JSON object in a request body, read by name: a field that is absent leaves a
/// value as it is, `null` clears a nullable one, and a field the route does not know is refused
/// (a typo must not be silently ignored). Names are camelCase here (the decoder converts the
/// body's snake_case).
struct JSONFields {
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private let container: KeyedDecodingContainer<Key>

    /// The object's fields; refuses any not in `known`.
    init(from decoder: any Decoder, known: Set<String>) throws {
        container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [unknown], debugDescription: "unknown field"))
        }
    }

    /// A field that must be present and not null.
    func required<T: Decodable>(_ name: String) throws -> T {
        try container.decode(T.self, forKey: Key(stringValue: name))
    }

    /// A field that may be absent (`nil`); `null` is refused for it.
    func optional<T: Decodable>(_ name: String) throws -> T? {
        let key = Key(stringValue: name)
        guard container.contains(key) else { return nil }
        return try container.decode(T.self, forKey: key)
    }

    /// A nullable field: absent (`nil`: unchanged), `null` (`.some(nil)`: cleared), or a value.
    func nullable<T: Decodable>(_ name: String) throws -> T?? {
        let key = Key(stringValue: name)
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .some(nil) }
        return .some(try container.decode(T.self, forKey: key))
    }
}
