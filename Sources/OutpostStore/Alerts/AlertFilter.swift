import Foundation

/// Which alerts ``AlertDesk/list(_:on:)`` returns: every condition set must hold.
public struct AlertFilter: Sendable, Equatable {
    /// `true`: unresolved only; `false`: resolved only; `nil`: both.
    public var open: Bool?
    /// Only alerts of devices of the branch of this name.
    public var branch: String?
    /// Only alerts of devices of branches in these regions (a user's scope); `nil`: all alerts.
    public var regions: Set<String>?
    /// Only alerts of this device.
    public var deviceID: UUID?
    /// Only alerts of devices whose name contains this text, ignoring case (empty: every alert).
    public var deviceText: String?
    /// Only alerts of these severities.
    public var severity: [String]?
    /// Only alerts fired at or after this time.
    public var since: Date?
    /// Only alerts fired before this time.
    public var until: Date?
    /// Page size, 1 to ``maximumLimit``.
    public var limit: Int
    /// The ``AlertPage/nextCursor`` of the previous page.
    public var cursor: String?

    /// Largest page.
    public static let maximumLimit = 1000
    /// Longest ``deviceText``.
    public static let maximumDeviceTextLength = 200

    /// Every alert, 100 a page.
    public init() {
        self.limit = 100
    }

    /// Refuses a limit out of range, an unknown severity, device text too long or holding
    /// control characters, an empty time range or a cursor this store did not make; returns the
    /// decoded cursor.
    func validated() throws(InputError) -> AlertCursor? {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw InputError(field: "limit", reason: "must be 1 to \(Self.maximumLimit)")
        }
        if let unknown = severity?.first(where: { !AlertRuleAdmin.severities.contains($0) }) {
            throw InputError(
                field: "severity",
                reason: "\(unknown) is not one of \(AlertRuleAdmin.severities.joined(separator: ", "))")
        }
        if let deviceText, let problem = TextInput.problem(deviceText, maximumLength: Self.maximumDeviceTextLength) {
            throw InputError(field: "device", reason: problem)
        }
        if let since, let until, since >= until {
            throw InputError(field: "until", reason: "must be later than since")
        }
        guard let cursor else { return nil }
        guard let decoded = AlertCursor(text: cursor) else {
            throw InputError(field: "cursor", reason: "is not a cursor of a previous page")
        }
        return decoded
    }
}

/// Where a page ends: the last alert's `triggered_at` (microseconds since 1970, exact) and id.
/// Opaque to clients: base64url of `v1:<microseconds>:<uuid>`.
struct AlertCursor: Sendable, Equatable {
    let microseconds: Int64
    let id: UUID

    init(microseconds: Int64, id: UUID) {
        self.microseconds = microseconds
        self.id = id
    }

    /// Decodes a cursor made by ``text``; `nil` for anything else.
    init?(text: String) {
        guard text.count <= 100 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let microseconds = Int64(parts[1]),
            let id = UUID(uuidString: String(parts[2]))
        else { return nil }
        self.init(microseconds: microseconds, id: id)
    }

    /// The opaque text.
    var text: String {
        Data("v1:\(microseconds):\(id.uuidString.lowercased())".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
