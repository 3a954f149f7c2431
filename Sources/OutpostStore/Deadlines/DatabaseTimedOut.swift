/// PostgreSQL work that did not finish within its time limit; the work was abandoned (its
/// connection closed), so it has no effect unless it committed before.
public struct DatabaseTimedOut: Error, CustomStringConvertible {
    /// The time limit that passed.
    public let timeout: Duration

    /// An error for work that outlived `timeout`.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    public var description: String { "PostgreSQL did not answer within \(timeout)" }
}
