import Foundation

/// One change an open console page may have to show anew, as migration 17's triggers announce
/// it on ``channel``: what kind of change, the device and branch it concerns, and the branch's
/// region, which decides who may learn of it (docs/architecture.md, "Console live updates").
struct ConsoleChange: Sendable, Equatable {
    /// The PostgreSQL channel of the notices.
    static let channel = "outpost_console"

    /// `device_state`, `device_enabled`, `device_moved`, `alert`: lower-case letters and `_`.
    let kind: String
    let device: UUID?
    let branch: UUID?
    /// The branch's region; `nil` (no branch, or a branch without a region): only operators
    /// without a region limit learn of the change.
    let region: String?

    /// A notice's payload that is not a change this collector understands.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    private struct Notice: Decodable {
        let kind: String
        let device: UUID?
        let branch: UUID?
        let region: String?
    }

    /// The change a notice's payload names.
    ///
    /// - Throws: ``Unreadable`` for a payload that is not JSON of that shape, or a kind that is
    ///   not 1 to 32 lower-case letters and underscores (it is sent to browsers as is).
    init(payload: String) throws {
        let notice: Notice
        do {
            notice = try JSONDecoder().decode(Notice.self, from: Data(payload.utf8))
        } catch {
            throw Unreadable(description: "not a console change notice: \(error)")
        }
        guard (1...32).contains(notice.kind.utf8.count),
            notice.kind.utf8.allSatisfy({ $0 == 0x5F || (0x61...0x7A).contains($0) })
        else { throw Unreadable(description: "a console change kind must be 1 to 32 of a-z and _") }
        self.init(kind: notice.kind, device: notice.device, branch: notice.branch, region: notice.region)
    }

    init(kind: String, device: UUID?, branch: UUID?, region: String?) {
        self.kind = kind
        self.device = device
        self.branch = branch
        self.region = region
    }

    /// The `data:` of the `change` event console.js reads: device, branch (lower-case UUIDs, as
    /// pages carry them in `data-device` and `data-branch`, or `null`) and kind. The region stays
    /// on the collector.
    var eventData: String {
        func text(_ id: UUID?) -> String { id.map { "\"\($0.uuidString.lowercased())\"" } ?? "null" }
        return #"{"device":\#(text(device)),"branch":\#(text(branch)),"kind":"\#(kind)"}"#
    }
}
