import Foundation

/// A device in a report's scope, with what it is grouped by.
struct ReportDevice: Sendable {
    let id: UUID
    let name: String
    let branch: String?
    let branchDisplayName: String?
    let region: String?
    let type: String?

    /// The key and name of the row `grouping` puts the device in.
    func row(_ grouping: ReportGrouping) -> (key: String, name: String) {
        switch grouping {
        case .device: (id.uuidString.lowercased(), name)
        case .branch: (branch ?? ReportGrouping.ungrouped, branchDisplayName ?? branch ?? ReportGrouping.ungrouped)
        case .region: (region ?? ReportGrouping.ungrouped, region ?? ReportGrouping.ungrouped)
        case .type: (type ?? ReportGrouping.ungrouped, type ?? ReportGrouping.ungrouped)
        }
    }
}
