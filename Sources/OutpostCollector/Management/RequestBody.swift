import Foundation
import Hummingbird

/// Reads request bodies of the management API: bounded in size, JSON decoded with snake_case
/// keys and ISO-8601 dates; a body that does not decode is refused naming the field at fault.
enum RequestBody {
    /// Largest JSON body accepted.
    static let maximumJSONBytes = 1 << 20

    /// `request`'s body as `T`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumJSONBytes)
        } catch {
            throw APIError(status: .contentTooLarge, message: "body larger than \(maximumJSONBytes) bytes")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let DecodingError.keyNotFound(key, context) {
            throw APIError.badRequest("missing", field: path(context.codingPath + [key]))
        } catch let DecodingError.typeMismatch(_, context) {
            throw APIError.badRequest("wrong type: \(context.debugDescription)", field: path(context.codingPath))
        } catch let DecodingError.valueNotFound(_, context) {
            throw APIError.badRequest("must not be null", field: path(context.codingPath))
        } catch let DecodingError.dataCorrupted(context) {
            throw APIError.badRequest(
                context.codingPath.isEmpty ? "not JSON" : context.debugDescription, field: path(context.codingPath))
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String? {
        guard !keys.isEmpty else { return nil }
        return keys.map { $0.intValue.map(String.init) ?? snakeCase($0.stringValue) }.joined(separator: ".")
    }

    private static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}
