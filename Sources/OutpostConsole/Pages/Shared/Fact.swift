/// A term and its value in a page's fact list.
public struct Fact: Sendable, Equatable {
    public let term: String
    public let value: String

    public init(_ term: String, _ value: String?) {
        self.term = term
        self.value = value ?? "—"
    }
}
