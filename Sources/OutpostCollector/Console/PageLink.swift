import Foundation

/// A link to a console page with query parameters, each percent-encoded; parameters without
/// a value are left out.
struct PageLink {
    /// The characters a query value keeps as they are.
    private static let valueCharacters: CharacterSet = {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#/")
        return allowed
    }()

    let path: String
    var parameters: [(String, String?)]

    /// `path?name=value&…`.
    var href: String {
        let pairs = parameters.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.valueCharacters) ?? "")
        }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    /// This link with `name` set to `value` (replacing it if present).
    func with(_ name: String, _ value: String?) -> PageLink {
        var link = self
        link.parameters.removeAll { $0.0 == name }
        link.parameters.append((name, value))
        return link
    }
}
