/// One option of a filter's `<select>`.
public struct Choice: Sendable, Equatable {
    public let value: String
    public let label: String
    public let selected: Bool

    public init(value: String, label: String, selected: Bool) {
        self.value = value
        self.label = label
        self.selected = selected
    }

    /// An "any" option (empty value) followed by `values`, the one equal to `current` selected.
    public static func list(_ values: [(value: String, label: String)], current: String?, any: String) -> [Choice] {
        [Choice(value: "", label: any, selected: current == nil)]
            + values.map { Choice(value: $0.value, label: $0.label, selected: $0.value == current) }
    }
}
