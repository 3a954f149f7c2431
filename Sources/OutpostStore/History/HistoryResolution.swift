/// Which rows a history chart is read from.
public enum HistoryResolution: String, Sendable, Codable {
    /// The raw rows (`ping_results`, `item_history`), for ranges up to 3 hours.
    case raw
    /// The one-minute roll-ups, for ranges up to 2 days.
    case minute
    /// The one-hour roll-ups, beyond.
    case hour
}
