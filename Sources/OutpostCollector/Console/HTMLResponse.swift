import Hummingbird
import NIOCore
import OutpostConsole

/// The console's HTML answers: never cached, never framed, scripts and styles from this origin
/// only (the Content-Security-Policy also keeps a page from loading anything from outside).
enum HTMLResponse {
    /// The Content-Security-Policy of every console page.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        + "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// The `Referrer-Policy` header, which swift-http-types does not name.
    private static let referrerPolicy = HTTPFields.Element.Name("Referrer-Policy")!

    /// `page` rendered with its template, `200 OK` unless told otherwise.
    static func page<Page: ConsolePage>(_ page: Page, status: HTTPResponse.Status = .ok) -> Response {
        html(ConsoleTemplates.embedded.render(page), status: status)
    }

    /// `text` as an HTML answer with the console's headers.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff",
                referrerPolicy: "same-origin",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `303 See Other` to a path of this site.
    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path, .cacheControl: "no-store"])
    }
}
