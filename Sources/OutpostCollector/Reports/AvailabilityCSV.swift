import Foundation
import OutpostStore

/// An availability report as CSV: one file of rows, one of outages; times in ISO 8601 with the
/// offset of the zone given, cells quoted where needed and guarded against spreadsheet formulas.
public enum AvailabilityCSV {
    /// Columns of ``rows(_:)``.
    public static let rowColumns = [
        "group", "name", "devices", "availability_percent", "up_seconds", "down_seconds", "monitored_seconds",
        "outages", "mttr_seconds", "mtbf_seconds",
    ]
    /// Columns of ``outages(_:zone:)``.
    public static let outageColumns = [
        "group", "device_id", "device", "branch", "region", "device_type", "start", "end", "duration_seconds",
        "down_seconds", "in_maintenance", "alerts",
    ]

    /// The report's rows, a header first.
    public static func rows(_ report: AvailabilityReport) -> String {
        lines(
            rowColumns,
            report.rows.map { row in
                [
                    row.key, row.name, String(row.devices), number(row.availabilityPercent, digits: 4),
                    number(row.upSeconds), number(row.downSeconds), number(row.monitoredSeconds), String(row.outages),
                    number(row.mttrSeconds), number(row.mtbfSeconds),
                ]
            })
    }

    /// The report's outages, a header first.
    public static func outages(_ report: AvailabilityReport, zone: TimeZone) -> String {
        lines(
            outageColumns,
            report.outages.map { outage in
                [
                    outage.group, outage.deviceID.uuidString.lowercased(), outage.deviceName, outage.branch ?? "",
                    outage.region ?? "", outage.deviceType ?? "", ReportText.timestamp(outage.start, zone: zone),
                    ReportText.timestamp(outage.end, zone: zone), number(outage.durationSeconds),
                    number(outage.downSeconds), outage.inMaintenance ? "true" : "false",
                    outage.alerts.map { "\($0.severity): \($0.ruleName ?? "")" }.joined(separator: "; "),
                ]
            })
    }

    private static func lines(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { cells in
            cells.map { DeviceCSVCell.quoted(DeviceCSVCell.guarded($0)) }.joined(separator: ",")
        }.joined(separator: "\n") + "\n"
    }

    private static func number(_ value: Double?, digits: Int = 0) -> String {
        guard let value else { return "" }
        return String(format: "%.\(digits)f", value)
    }
}
