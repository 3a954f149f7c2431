import Foundation
import Logging
import OutpostStore
import PostgresNIO
import ServiceLifecycle

/// Mails the previous month's availability report once, early in each month (docs/reports.md):
/// every collector may run it; the first to claim the month in ``ReportMailLedger`` sends it and
/// the others (and this one after a restart) see the claim and skip it. Without a configuration
/// (the mail is off) it only waits for the collector's shutdown.
public struct MonthlyReportMailer: Service {
    /// Where and how the report goes.
    public struct Configuration: Sendable {
        public var smtp: SMTPConfiguration
        public var recipients: [String]
        /// The name this collector claims the month under (in the ledger, for operators).
        public var sender: String
        /// A month is mailed this long after it ended: late spools and the roll-ups settle first.
        public var settle: TimeInterval = 3_600
        /// Pause between checks.
        public var period: Duration = .seconds(600)

        public init(smtp: SMTPConfiguration, recipients: [String], sender: String) {
            self.smtp = smtp
            self.recipients = recipients
            self.sender = sender
        }
    }

    /// What a check did.
    public enum Outcome: Sendable, Equatable {
        /// The mail is off (no configuration).
        case off
        /// The month ended less than `settle` ago.
        case notDue
        /// Another sender (or an earlier run) claimed the month.
        case claimedElsewhere(String)
        /// Sent and recorded, with the server's code.
        case sent(month: String, code: Int)
    }

    private let client: PostgresClient
    private let configuration: Configuration?
    private let logger: Logger

    public init(client: PostgresClient, configuration: Configuration?, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        guard let configuration else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await sendIfDue(now: Date())
            } catch {
                logger.error("monthly report e-mail failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.period) }
        }
    }

    /// Sends the report of the month before `now` unless it is not due or already claimed.
    @discardableResult
    public func sendIfDue(now: Date) async throws -> Outcome {
        guard let configuration else { return .off }
        let month = ReportWindow.previousMonth(before: now)
        let name = String(month.from.formatted(.iso8601).prefix(7))
        guard now.timeIntervalSince(month.to) >= configuration.settle else { return .notDue }
        let ledger = ReportMailLedger(logger: logger)
        let sender = configuration.sender
        let claimed = try await client.withConnection { connection in
            try await ledger.claim(month, sender: sender, at: now, on: connection)
        }
        guard claimed else { return .claimedElsewhere(name) }
        let code: Int
        var handedToRelay = false
        do {
            let store = ReportStore(logger: logger)
            let (byBranch, byDevice) = try await client.withConnection { connection in
                (
                    try await store.availability(month, by: .branch, regions: nil, outages: .omitted, on: connection),
                    try await store.availability(month, by: .device, regions: nil, outages: .all, on: connection)
                )
            }
            let message = MonthlyReportMail.message(
                byBranch: byBranch, byDevice: byDevice, from: configuration.smtp.from, to: configuration.recipients,
                now: now)
            handedToRelay = true
            code = try await SMTPClient(configuration: configuration.smtp).send(message)
        } catch {
            // Released only when the mail surely did not go: refused by the relay, or never handed
            // to it. A timeout or a lost connection may have delivered it: the claim stays.
            if !handedToRelay || (error as? SMTPError)?.code != nil {
                try? await client.withConnection { try await ledger.release(month, on: $0) }
            }
            throw error
        }
        try await client.withConnection { try await ledger.markSent(month, at: Date(), on: $0) }
        logger.notice(
            "monthly report e-mail sent",
            metadata: ["month": "\(name)", "recipients": "\(configuration.recipients.count)"])
        return .sent(month: name, code: code)
    }
}
