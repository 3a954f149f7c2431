import Foundation
import Hummingbird

/// JSON responses of the operator API: snake_case keys, ISO-8601 UTC dates, sorted keys.
enum JSONResponse {
    /// An error body: `{"error": "…"}`.
    struct ErrorBody: Encodable {
        let error: String
    }

    /// `value` encoded as JSON with `status`.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            var body = try encoder.encode(value)
            body.append(UInt8(ascii: "\n"))
            return Response(
                status: status, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        } catch {
            // Every value encoded here is made of strings, numbers, booleans and dates.
            return Response(
                status: .internalServerError,
                body: ResponseBody(byteBuffer: ByteBuffer(string: "cannot encode the response: \(error)\n")))
        }
    }

    /// `{"error": message}` with `status`.
    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        make(ErrorBody(error: message), status: status)
    }
}
