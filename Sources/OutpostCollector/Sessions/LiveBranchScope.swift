import Foundation
import Logging
import OutpostCore
import OutpostStore
import OutpostWire
import PostgresNIO
import Synchronization

/// The branch scope of one agent session, reloaded whenever the branch's configuration may
/// have changed (before the new configuration is pushed, so an agent never reports on a device
/// its session does not know yet).
final class LiveBranchScope: Sendable {
    private let branch: UUID
    private let scope: Mutex<BranchScope>

    private init(branch: UUID, scope: BranchScope) {
        self.branch = branch
        self.scope = Mutex(scope)
    }

    /// Loads the scope of `branch`.
    static func load(branch: UUID, client: PostgresClient, logger: Logger) async throws -> LiveBranchScope {
        let scope = try await client.withConnection(timeout: PostgresClient.callTimeout) {
            try await BranchScope.load(branch: branch, on: $0, logger: logger)
        }
        return LiveBranchScope(branch: branch, scope: scope)
    }

    /// Reads the branch's scope again.
    func reload(client: PostgresClient, logger: Logger) async throws {
        let branch = self.branch
        let fresh = try await client.withConnection(timeout: PostgresClient.callTimeout) {
            try await BranchScope.load(branch: branch, on: $0, logger: logger)
        }
        scope.withLock { $0 = fresh }
    }

    /// The rows of `batch` that belong to the branch, as an ingest batch carrying `payload`,
    /// and what was refused.
    func admitted(_ batch: Batch, payload: [UInt8]) -> (IngestBatch, BranchScope.Refused) {
        scope.withLock { $0 }.admitted(batch, payload: payload)
    }
}
