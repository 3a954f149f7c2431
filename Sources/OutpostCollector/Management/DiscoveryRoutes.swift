import Foundation
import Hummingbird
import Logging
import OutpostStore

/// Discovery: `/api/v1/discovery/rules` (list, add), `/api/v1/discovery/rules/{id}/run` (a job,
/// triggered by `api`), `/api/v1/discovery/jobs` (newest first) and `/api/v1/discovery/jobs/{id}`
/// (status and progress), `/api/v1/discovery/jobs/{id}/cancel`. A regional manager sees, runs
/// and cancels only the rules swept from a branch of their regions (the branch of the rule's
/// agent when it names one).
struct DiscoveryRoutes: Sendable {
    /// One rule as the API shows it.
    struct Rule: Encodable {
        let id: UUID
        let name: String
        let description: String?
        let ranges: [String]
        let exclusions: [String]
        let schedule: String?
        let pingOnly: Bool
        let credentials: [UUID]
        let branchId: UUID?
        let agentId: UUID?
        let autoImport: Bool
        let snmpPort: Int
        let enabled: Bool
        let lastRun: Date?

        init(_ rule: DiscoveryRuleRecord) {
            id = rule.id
            name = rule.name
            description = rule.description
            ranges = rule.ranges
            exclusions = rule.exclusions
            schedule = rule.schedule
            pingOnly = !rule.snmp
            credentials = rule.credentialIDs
            branchId = rule.branchID
            agentId = rule.agentID
            autoImport = rule.autoImport
            snmpPort = rule.snmpPort
            enabled = rule.enabled
            lastRun = rule.lastRun
        }
    }

    /// The body of `POST /discovery/rules`: the fields of `discovery rule add`.
    struct NewRule: Decodable {
        let name: String
        let description: String?
        let ranges: [String]
        let exclusions: [String]
        /// The sweeping branch, by name.
        let branch: String?
        let agent: UUID?
        let schedule: String?
        let credentials: [UUID]
        let snmpPort: Int
        let pingOnly: Bool
        let autoImport: Bool

        init(from decoder: any Decoder) throws {
            let fields = try JSONFields(
                from: decoder,
                known: [
                    "name", "description", "ranges", "exclusions", "branch", "agent", "schedule", "credentials",
                    "snmpPort", "pingOnly", "autoImport",
                ])
            name = try fields.required("name")
            description = try fields.optional("description")
            ranges = try fields.required("ranges")
            exclusions = try fields.optional("exclusions") ?? []
            branch = try fields.optional("branch")
            agent = try fields.optional("agent")
            schedule = try fields.optional("schedule")
            credentials = try fields.optional("credentials") ?? []
            snmpPort = try fields.optional("snmpPort") ?? 161
            pingOnly = try fields.optional("pingOnly") ?? false
            autoImport = try fields.optional("autoImport") ?? false
        }
    }

    /// One job as the API shows it: status and progress.
    struct Job: Encodable {
        let id: UUID
        let ruleId: UUID
        let rule: String
        let status: String
        let agentId: UUID?
        let totalIps: Int
        let scannedIps: Int
        let discoveredDevices: Int
        let importedDevices: Int
        let failedIps: Int
        let createdAt: Date
        let dispatchedAt: Date?
        let completedAt: Date?
        let durationSeconds: Int?
        let error: String?
        let cancelRequested: Bool
        let triggeredBy: String?

        init(_ job: DiscoveryJobRecord) {
            id = job.id
            ruleId = job.ruleID
            rule = job.ruleName
            status = job.status.rawValue
            agentId = job.agentID
            totalIps = job.totalIPs
            scannedIps = job.scannedIPs
            discoveredDevices = job.discoveredDevices
            importedDevices = job.importedDevices
            failedIps = job.failedIPs
            createdAt = job.createdAt
            dispatchedAt = job.dispatchedAt
            completedAt = job.completedAt
            durationSeconds = job.durationSeconds
            error = job.errorMessage
            cancelRequested = job.cancelRequested
            triggeredBy = job.triggeredBy
        }
    }

    struct CreatedJob: Encodable {
        let jobId: UUID
    }

    struct Cancelled: Encodable {
        let status: String
    }

    let logger: Logger

    func register(on api: ManagementAPI) {
        let rules = DiscoveryRuleStore(logger: logger)
        let jobs = DiscoveryJobStore(logger: logger)
        api.on(.get, "discovery/rules", .read) { _, _, user in
            let listed = try await user.run {
                try await rules.list(inRegions: user.principal.regionScope, on: $0)
            }
            return JSONResponse.make(APIListing(name: "rules", items: listed.map(Rule.init)))
        }
        api.on(.post, "discovery/rules", .configure) { request, _, user in
            let new = try await RequestBody.decode(NewRule.self, from: request)
            let rule = try await Self.mapped {
                try await user.run { connection in
                    var branchID: UUID?
                    if let branch = new.branch { branchID = try await rules.branch(named: branch, on: connection) }
                    let rule = DiscoveryRuleRecord(
                        name: new.name, description: new.description, ranges: new.ranges, exclusions: new.exclusions,
                        schedule: new.schedule, snmp: !new.pingOnly, credentialIDs: new.credentials,
                        branchID: branchID, agentID: new.agent, autoImport: new.autoImport, snmpPort: new.snmpPort)
                    try await rules.add(rule, by: user.actor, on: connection)
                    return try await rules.rule(rule.id.uuidString, on: connection)
                }
            }
            return JSONResponse.make(Rule(rule), status: .created)
        }
        api.on(.post, "discovery/rules/{id}/run", .runJobs) { _, context, user in
            let id = try context.parameters.uuid("id")
            let job = try await Self.mapped {
                try await user.run { connection in
                    try user.requireReach(try await rules.region(ofRule: id, on: connection), "the rule's branch")
                    return try await jobs.requestRun(
                        rule: id.uuidString, triggeredBy: "api", by: user.actor, on: connection)
                }
            }
            return JSONResponse.make(CreatedJob(jobId: job), status: .accepted)
        }
        api.on(.get, "discovery/jobs", .read) { request, _, user in
            let limit = try QueryOptions(request).integer("limit", in: 1...1000) ?? 20
            let listed = try await user.run {
                try await jobs.recentJobs(limit: limit, inRegions: user.principal.regionScope, on: $0)
            }
            return JSONResponse.make(APIListing(name: "jobs", items: listed.map(Job.init)))
        }
        api.on(.get, "discovery/jobs/{id}", .read) { _, context, user in
            let id = try context.parameters.uuid("id")
            let job = try await user.run { connection in
                guard let job = try await jobs.job(id, on: connection),
                    AccessPolicy.reaches(
                        user.principal, region: try await rules.region(ofRule: job.ruleID, on: connection))
                else { return nil as DiscoveryJobRecord? }
                return job
            }
            guard let job else { throw APIError.notFound("no discovery job \(id.uuidString.lowercased())") }
            return JSONResponse.make(Job(job))
        }
        api.on(.post, "discovery/jobs/{id}/cancel", .runJobs) { _, context, user in
            let id = try context.parameters.uuid("id")
            let status = try await Self.mapped {
                try await user.run { connection in
                    guard let job = try await jobs.job(id, on: connection) else {
                        throw DiscoveryStoreError.unknownJob(id.uuidString.lowercased())
                    }
                    try user.requireReach(
                        try await rules.region(ofRule: job.ruleID, on: connection), "the job's branch")
                    return try await jobs.requestCancel(id, by: user.actor, on: connection)
                }
            }
            return JSONResponse.make(Cancelled(status: status.rawValue))
        }
    }

    /// `work`, its discovery errors as API errors.
    private static func mapped<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as DiscoveryStoreError {
            switch error {
            case .unknownRule, .unknownJob: throw APIError.notFound(error.description)
            case .jobFinished: throw APIError.conflict(error.description)
            case .unknownCredential: throw APIError.badRequest(error.description, field: "credentials")
            case .invalid(let field, _):
                throw APIError.badRequest(error.description, field: field == "target" ? "branch" : field)
            }
        }
    }
}
