import Foundation
import Logging
import OutpostStore
import PostgresNIO

/// The alert leases this engine holds (see `AlertLeaseStore`), renewed when half their time
/// has passed, so that a commit usually costs no lease query.
struct AlertLeases {
    /// What changed for the scopes asked about.
    struct Ownership {
        /// Scopes this engine evaluates now.
        var owned: Set<UUID> = []
        /// Scopes taken since the last call: their open alerts must be read again (another
        /// collector may have changed them).
        var acquired: Set<UUID> = []
        /// Scopes another collector holds now: what is known of them must be forgotten.
        var lost: Set<UUID> = []
    }

    /// This engine's name in `alert_leases.owner`.
    let owner: String
    private let duration: Duration
    private let store: AlertLeaseStore
    /// Until when (this process's clock, never later than the database's expiry) each lease is held.
    private var held: [UUID: ContinuousClock.Instant] = [:]

    init(owner: String, duration: Duration, logger: Logger) {
        self.owner = owner
        self.duration = duration
        store = AlertLeaseStore(logger: logger)
    }

    /// Takes or renews what is needed to evaluate `scopes`.
    mutating func own(_ scopes: Set<UUID>, client: PostgresClient) async throws -> Ownership {
        let asked = ContinuousClock.now
        var ownership = Ownership()
        let due = scopes.filter { held[$0].map { asked.duration(to: $0) < duration / 2 } ?? true }
        if !due.isEmpty {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            let granted = try await client.withConnection(timeout: PostgresClient.callTimeout) {
                [store, owner] connection in
                try await store.acquire(Array(due), owner: owner, seconds: seconds, on: connection)
            }
            for scope in due {
                if granted.contains(scope) {
                    if held[scope].map({ $0 <= asked }) ?? true { ownership.acquired.insert(scope) }
                    held[scope] = asked + duration
                } else if held.removeValue(forKey: scope) != nil {
                    ownership.lost.insert(scope)
                }
            }
        }
        let now = ContinuousClock.now
        ownership.owned = scopes.filter { held[$0].map { $0 > now } ?? false }
        return ownership
    }
}
