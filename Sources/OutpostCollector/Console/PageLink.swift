/// A link to a console page whose query parameters can be changed one at a time (a sort
/// column's link, the next page's); parameters without a value are left out.
struct PageLink {
    let path: String
    var parameters: [(String, String?)]

    /// `path?name=value&…`, percent-encoded (``PageQuery/link(_:_:)``).
    var href: String {
        PageQuery.link(path, parameters)
    }

    /// This link with `name` set to `value` (replacing it if present).
    func with(_ name: String, _ value: String?) -> PageLink {
        var link = self
        link.parameters.removeAll { $0.0 == name }
        link.parameters.append((name, value))
        return link
    }
}
