import Foundation

/// Where one (rule, device) pair is in its life: ok → pending (the rule holds, for less than its
/// `FOR` duration) → firing (an `alert_history` row is open) → ok again when resolved; and
/// whether it is flapping.
struct AlertPairState: Sendable {
    /// The episode phase.
    enum Phase: Sendable, Equatable {
        case ok
        /// The rule has held since `since`, not yet for its `FOR` duration: no row yet.
        case pending(since: Date)
        /// `historyID` is open. `suppressedBy` is the edge router's alert that suppressed it;
        /// `notified` tells whether the firing notification went out (not while suppressed).
        case firing(historyID: UUID, suppressedBy: UUID?, notified: Bool)
    }

    var phase = Phase.ok
    var flap = FlapDetector()
    /// The open `alert_history` row of kind `flapping`, while the pair flaps.
    var flappingRecord: UUID?

    /// The open alert episode, if the pair is firing.
    var firingID: UUID? {
        if case .firing(let id, _, _) = phase { return id }
        return nil
    }
}
