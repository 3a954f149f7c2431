import Foundation
import Hummingbird

/// JSON responses of the operator API: snake_case keys, ISO-8601 UTC dates, sorted keys, and
/// identifiers in lower case (Foundation writes a `UUID` in upper case).
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
            var body = [UInt8](try encoder.encode(value))
            lowercaseUUIDs(in: &body)
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

    /// Lower-cases the hexadecimal letters of every JSON string that is exactly a UUID.
    static func lowercaseUUIDs(in json: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        let dash = UInt8(ascii: "-")
        var index = 0
        while index + 37 < json.count {
            guard json[index] == quote, json[index + 37] == quote else {
                index += 1
                continue
            }
            let range = (index + 1)...(index + 36)
            let isUUID = range.allSatisfy { position in
                let offset = position - index - 1
                let byte = json[position]
                if [8, 13, 18, 23].contains(offset) { return byte == dash }
                return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            }
            guard isUUID else {
                index += 1
                continue
            }
            for position in range where (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(json[position]) {
                json[position] += 32
            }
            index += 38
        }
    }
}
