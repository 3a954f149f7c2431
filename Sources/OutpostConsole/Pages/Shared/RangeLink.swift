/// One of the chart ranges a page offers (1 h, 24 h, 7 d, 30 d).
public struct RangeLink: Sendable, Equatable {
    public let label: String
    public let href: String
    public let current: Bool

    public init(label: String, href: String, current: Bool) {
        self.label = label
        self.href = href
        self.current = current
    }
}
