import Hummingbird

/// A refused management API request: its status and a message for the operator, naming the
/// field at fault where there is one. Rendered as `{"error": …, "field": …}`.
struct APIError: Error, CustomStringConvertible {
    let status: HTTPResponse.Status
    let message: String
    var field: String?
    /// Where in the field's text the error is (an alert rule's expression), from 0.
    var position: Int?
    var headers: HTTPFields = [:]

    var description: String { message }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(status: .badRequest, message: message, field: field)
    }
    static func notFound(_ message: String) -> APIError { APIError(status: .notFound, message: message) }
    static func forbidden(_ message: String) -> APIError { APIError(status: .forbidden, message: message) }
    static let unauthenticated = APIError(
        status: .unauthorized, message: "log in (POST /api/v1/session) or send an API token (Authorization: Bearer)")
    static func conflict(_ message: String) -> APIError { APIError(status: .conflict, message: message) }

    /// The response body.
    struct Body: Encodable {
        let error: String
        let field: String?
        let position: Int?
    }

    var response: Response {
        var response = JSONResponse.make(Body(error: message, field: field, position: position), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
