import Foundation
import OutpostStore

/// The monthly availability e-mail: a readable body (text and HTML) with a table per branch and
/// the month's totals, and CSV attachments of the rows per device and of the outages. Times are
/// UTC, as the month's bounds are.
enum MonthlyReportMail {
    /// The message for `byBranch` and `byDevice` (the same month's report grouped two ways).
    static func message(
        byBranch: AvailabilityReport, byDevice: AvailabilityReport, from: String, to recipients: [String], now: Date
    ) -> MailMessage {
        let month = String(ReportText.timestamp(byBranch.from, zone: .gmt).prefix(7))
        let total = byBranch.rows.reduce(
            AvailabilityRow(
                key: "", name: "All", devices: 0, upSeconds: 0, downSeconds: 0, outages: 0, outageSeconds: 0)
        ) { sum, row in
            var sum = sum
            sum.devices += row.devices
            sum.upSeconds += row.upSeconds
            sum.downSeconds += row.downSeconds
            sum.outages += row.outages
            sum.outageSeconds += row.outageSeconds
            return sum
        }
        let rows = byBranch.rows + [total]
        let plain =
            "Outpost availability report for \(month) (UTC), per branch.\n\n"
            + rows.map { row in
                "\(row.name): \(ReportText.percent(row.availabilityPercent)), \(row.outages) outages, MTTR "
                    + "\(ReportText.duration(row.mttrSeconds)), MTBF \(ReportText.duration(row.mtbfSeconds))"
            }.joined(separator: "\n")
            + "\n\nAvailability is up time over the monitored time less maintenance windows. "
            + "The attached CSV files hold every device and every outage.\n"
        let cells = rows.map { row in
            "<tr><td>\(html(row.name))</td><td>\(row.devices)</td><td>\(ReportText.percent(row.availabilityPercent))</td>"
                + "<td>\(row.outages)</td><td>\(ReportText.duration(row.mttrSeconds))</td>"
                + "<td>\(ReportText.duration(row.mtbfSeconds))</td></tr>"
        }.joined(separator: "\n")
        let body = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Availability \(month)</title></head>
            <body style="font-family: sans-serif">
            <h1>Outpost availability, \(month) (UTC)</h1>
            <table border="1" cellpadding="4" cellspacing="0">
            <thead><tr><th>Branch</th><th>Devices</th><th>Availability</th><th>Outages</th><th>MTTR</th><th>MTBF</th></tr></thead>
            <tbody>
            \(cells)
            </tbody></table>
            <p>Availability is up time over the monitored time less maintenance windows; MTTR and MTBF count the
            outages outside maintenance. The attached CSV files hold every device and every outage.</p>
            </body></html>
            """
        let mime = MIMEBody(
            plain: plain, html: body,
            attachments: [
                .init(
                    filename: "availability-\(month)-devices.csv", contentType: "text/csv",
                    content: AvailabilityCSV.rows(byDevice)),
                .init(
                    filename: "availability-\(month)-outages.csv", contentType: "text/csv",
                    content: AvailabilityCSV.outages(byDevice, zone: .gmt)),
            ])
        return MailMessage(
            from: from, to: recipients, subject: "Outpost availability report \(month)", body: plain, date: now,
            messageID: "report-\(month)-\(UUID().uuidString.lowercased())@outpost", mime: mime)
    }

    /// `text` safe inside HTML.
    static func html(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
