/// A value the stores refuse: the field it belongs to and why, e.g.
/// `ip: "10.0.0.300" is not an IPv4 or IPv6 address`. Never contains a secret.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field as the API (and the CSV) names it: `name`, `ip`, `expression`, `auth_key`, …
    public let field: String
    /// Why the value was refused, for a human.
    public let reason: String
    /// Where in the field's text the fault is, as a 0-based offset in Unicode scalars, when the
    /// store says (an alert rule's `expression`).
    public let position: Int?

    /// An error for `field`.
    public init(field: String, reason: String, position: Int? = nil) {
        self.field = field
        self.reason = reason
        self.position = position
    }

    /// "field: reason".
    public var description: String { "\(field): \(reason)" }
}
