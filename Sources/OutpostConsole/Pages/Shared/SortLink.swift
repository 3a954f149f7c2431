/// A sortable column's header: its link sorts by the column, reversing the order when the
/// list is already sorted by it; `ariaSort` tells assistive technology the current order.
public struct SortLink: Sendable, Equatable {
    public let label: String
    public let href: String
    /// `ascending`, `descending` or `none`.
    public let ariaSort: String
    /// `▲`/`▼` beside the sorted column.
    public let arrow: String

    public init(label: String, href: String, sortedBy: Bool, descending: Bool) {
        self.label = label
        self.href = href
        self.ariaSort = sortedBy ? (descending ? "descending" : "ascending") : "none"
        self.arrow = sortedBy ? (descending ? "▼" : "▲") : ""
    }
}
