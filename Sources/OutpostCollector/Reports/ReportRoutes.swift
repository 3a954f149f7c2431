import Foundation
import Hummingbird
import Logging
import OutpostStore

/// `GET /api/v1/reports/availability`: availability, MTTR and MTBF per device, branch, region or
/// device type over a range, with the outages behind them (docs/reports.md), as JSON or CSV. A
/// regional manager's report holds only the devices of their regions.
struct ReportRoutes: Sendable {
    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = ReportStore(logger: logger)
        api.on(.get, "reports/availability", .read) { request, _, user in
            let query = try ReportQuery(request)
            let (window, grouping, scope) = (query.window, query.grouping, user.principal.regionScope)
            var report = try await user.run { connection in
                try await store.availability(window, by: grouping, regions: scope, on: connection)
            }
            if let group = query.group { report.outages.removeAll { $0.group != group } }
            switch query.format {
            case .json:
                return JSONResponse.make(report)
            case .csv:
                let csv =
                    query.part == .rows
                    ? AvailabilityCSV.rows(report) : AvailabilityCSV.outages(report, zone: query.zone)
                let name = "outpost-availability-\(query.part.rawValue).csv"
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/csv; charset=utf-8",
                        .contentDisposition: "attachment; filename=\"\(name)\"",
                    ],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: csv)))
            }
        }
    }
}
