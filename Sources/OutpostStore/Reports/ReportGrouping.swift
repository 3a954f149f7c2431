/// What the rows of an availability report are: one per device, or the devices summed per
/// branch, region or device type.
public enum ReportGrouping: String, Sendable, Codable, CaseIterable {
    case device
    case branch
    case region
    case type

    /// The grouping named `text` (`device`, `branch`, `region`, `type`); an ``InputError`` on
    /// `field` for anything else.
    public init(parsing text: String, field: String = "by") throws {
        guard let grouping = ReportGrouping(rawValue: text) else {
            throw InputError(
                field: field,
                reason: "\(text.prefix(40).debugDescription) is not one of device, branch, region, type")
        }
        self = grouping
    }

    /// The label of rows whose devices have no branch, region or type.
    static let ungrouped = "(none)"
}
