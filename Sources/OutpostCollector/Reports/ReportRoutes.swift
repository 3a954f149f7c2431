import Foundation
import Hummingbird
import Logging
import OutpostStore

/// `GET /api/v1/reports/availability`: availability, MTTR and MTBF per device, branch, region or
/// device type over a range, with the outages behind them on request (docs/reports.md), as JSON
/// or CSV. A
/// regional manager's report holds only the devices of their regions.
struct ReportRoutes: Sendable {
    let logger: Logger

    func register(on api: ManagementAPI) {
        let store = ReportStore(logger: logger)
        api.on(.get, "reports/availability", .read) { request, _, user in
            let query = try ReportQuery(request)
            let (window, grouping, scope, listing) = (
                query.window, query.grouping, user.principal.regionScope, query.listing
            )
            let report = try await user.run { connection in
                try await store.availability(window, by: grouping, regions: scope, outages: listing, on: connection)
            }
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
