import Foundation

/// A value an agent sends as the JSON payload of a generic batch result (discovery findings,
/// neighbour reports): sorted keys and ISO 8601 dates, so equal values encode to equal bytes.
public protocol GenericResultPayload: Codable {}

extension GenericResultPayload {
    /// The JSON payload of a generic batch result.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }

    /// Decodes a generic batch result's payload; the receiver validates what it decoded.
    public init(decoding bytes: [UInt8]) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(Self.self, from: Data(bytes))
    }
}
