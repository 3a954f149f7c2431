/// The model of one console page: what its template reads. Pages behind the login also carry
/// a ``PageFrame`` named `frame`, which the `layout` template draws.
public protocol ConsolePage: Sendable {
    /// The name of the page's template under `Resources/templates/`, without `.mustache`.
    static var template: String { get }
}
