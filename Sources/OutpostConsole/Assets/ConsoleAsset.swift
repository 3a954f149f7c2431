import Crypto
import Foundation

/// One static file of the console (style sheet, script, font, map outline), served under
/// `/static/` with its content type and an entity tag derived from its bytes.
public struct ConsoleAsset: Sendable {
    /// The path under `/static/`, e.g. `console.css`.
    public let path: String
    /// The `Content-Type` header's value.
    public let contentType: String
    /// The file's bytes.
    public let bytes: [UInt8]
    /// A strong entity tag: the start of the SHA-256 of the bytes, quoted.
    public let entityTag: String

    init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        self.contentType = Self.contentType(of: path)
        let digest = SHA256.hash(data: bytes).prefix(12).map { String(format: "%02x", $0) }.joined()
        self.entityTag = "\"\(digest)\""
    }

    /// The content type for a file name's extension; `application/octet-stream` for one not listed.
    static func contentType(of path: String) -> String {
        switch path.split(separator: ".").last {
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "json", "geojson": "application/json"
        case "svg": "image/svg+xml"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "ttf": "font/ttf"
        case "png": "image/png"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
