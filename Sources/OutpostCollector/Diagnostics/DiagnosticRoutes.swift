import Foundation
import Hummingbird
import Logging
import OutpostStore
import PostgresNIO

/// Path diagnostics: `POST /api/v1/diagnostics/traceroute` and `/mtr` (a job for the agent of
/// the device's branch; with `"wait": true` the answer comes when it ended, within 90 s),
/// `GET /api/v1/diagnostics/jobs/{id}` (status, progress, hops), `POST .../jobs/{id}/cancel`,
/// and `GET /api/v1/devices/{id}/traces` (the device's newest jobs with their hops). A regional
/// manager or technician reaches only devices of their regions; others answer 404.
struct DiagnosticRoutes: Sendable {
    /// The body of `POST /diagnostics/traceroute` and `/mtr`.
    struct NewJob: Decodable {
        let device: String
        let probeProtocol: String
        let port: Int
        let cycles: Int
        let wait: Bool
        /// Whether the agent resolves the hop addresses to names (`hostname` of each hop).
        let resolve: Bool

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(
                from: decoder, known: ["device", "protocol", "port", "cycles", "wait", "resolve"])
            device = try fields.required("device")
            probeProtocol = try fields.optional("protocol") ?? "icmp"
            port = try fields.optional("port") ?? 80
            cycles = try fields.optional("cycles") ?? 10
            wait = try fields.optional("wait") ?? false
            resolve = try fields.optional("resolve") ?? false
        }
    }

    struct CreatedJob: Encodable {
        let jobId: UUID
    }

    struct Cancelled: Encodable {
        let status: String
    }

    /// How long `"wait": true` waits for the job to end.
    static let waitLimit = Duration.seconds(90)

    let logger: Logger

    func register(on api: ManagementAPI) {
        let jobs = DiagnosticJobStore(logger: logger)
        let inventory = DeviceInventory(logger: logger)
        for kind in DiagnosticJobRecord.Kind.allCases {
            api.on(.post, "diagnostics/\(kind.rawValue)", .runJobs) { request, _, user in
                let new = try await RequestBody.decode(NewJob.self, from: request)
                let id = try await Self.mapped {
                    try await user.run { connection in
                        let device = try await jobs.device(new.device, on: connection)
                        try await Self.requireDevice(device, inventory, user, on: connection)
                        let request = try DiagnosticRequest(
                            kind: kind, probeProtocol: new.probeProtocol, port: new.port, cycles: new.cycles,
                            trigger: .api, resolveNames: new.resolve)
                        return try await jobs.create(device: device, request, by: user.actor, on: connection)
                    }
                }
                guard new.wait else { return JSONResponse.make(CreatedJob(jobId: id), status: .accepted) }
                return JSONResponse.make(try await Self.awaitEnd(id, jobs, user))
            }
        }
        api.on(.get, "diagnostics/jobs/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            return JSONResponse.make(try await Self.trace(id, jobs, inventory, user))
        }
        api.on(.post, "diagnostics/jobs/{id}/cancel", .runJobs) { _, context, user in
            let id = try context.parameters.uuid("id")
            _ = try await Self.trace(id, jobs, inventory, user)
            let status = try await Self.mapped {
                try await user.run { try await jobs.requestCancel(id, by: user.actor, on: $0) }
            }
            return JSONResponse.make(Cancelled(status: status.rawValue))
        }
        api.on(.get, "devices/{id}/traces", .read) { request, context, user in
            let id = try context.parameters.uuid("id")
            let limit = try QueryOptions(request).integer("limit", in: 1...50) ?? 5
            let traces = try await user.run { connection in
                try await Self.requireDevice(id, inventory, user, on: connection)
                var traces: [DiagnosticTrace] = []
                for job in try await jobs.jobs(device: id, limit: limit, on: connection) {
                    traces.append(DiagnosticTrace(job, hops: try await jobs.hops(of: job, on: connection)))
                }
                return traces
            }
            return JSONResponse.make(APIListing(name: "traces", items: traces))
        }
    }

    /// Job `id` with its hops, 404 unless the operator reaches its device.
    private static func trace(
        _ id: UUID, _ jobs: DiagnosticJobStore, _ inventory: DeviceInventory, _ user: ManagementAPI.Operator
    ) async throws -> DiagnosticTrace {
        try await user.run { connection in
            guard let job = try await jobs.job(id, on: connection),
                let device = try await inventory.device(id: job.deviceID, on: connection),
                AccessPolicy.reaches(user.principal, region: device.region)
            else { throw APIError.notFound("no diagnostic job \(id.uuidString.lowercased())") }
            return DiagnosticTrace(job, hops: try await jobs.hops(of: job, on: connection))
        }
    }

    /// Polls job `id` until it ended or ``waitLimit`` passed; returns it as it is then.
    private static func awaitEnd(_ id: UUID, _ jobs: DiagnosticJobStore, _ user: ManagementAPI.Operator)
        async throws -> DiagnosticTrace
    {
        let deadline = ContinuousClock.now + waitLimit
        while true {
            let (job, hops) = try await user.run { connection in
                guard let job = try await jobs.job(id, on: connection) else {
                    throw APIError.notFound("no diagnostic job \(id.uuidString.lowercased())")
                }
                return (job, job.status.isFinished ? try await jobs.hops(of: job, on: connection) : [])
            }
            if job.status.isFinished || ContinuousClock.now >= deadline { return DiagnosticTrace(job, hops: hops) }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// 404 unless device `id` exists and the operator reaches its region.
    private static func requireDevice(
        _ id: UUID, _ inventory: DeviceInventory, _ user: ManagementAPI.Operator, on connection: PostgresConnection
    ) async throws {
        guard let device = try await inventory.device(id: id, on: connection),
            AccessPolicy.reaches(user.principal, region: device.region)
        else { throw APIError.notFound("no device \(id.uuidString.lowercased())") }
    }

    /// `work`, its diagnostic errors as API errors.
    private static func mapped<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DiagnosticStoreError {
            switch error {
            case .unknownDevice, .unknownJob: throw APIError.notFound(error.description)
            case .jobFinished: throw APIError.conflict(error.description)
            case .invalid(let field, _): throw APIError.badRequest(error.description, field: field)
            }
        }
    }
}
