import Foundation
import OutpostStore
import Testing

@testable import OutpostCollector

/// The fan-out of console changes without a server: who gets what, and the bounds.
@Suite("Console: live update fan-out")
struct ConsoleBroadcasterTests {
    static let admin = OperatorPrincipal(userID: 1, username: "admin", role: .admin, regions: [])
    static let imereti = OperatorPrincipal(userID: 2, username: "mariam", role: .regionalManager, regions: ["Imereti"])

    static func change(region: String?, kind: String = "device_state") -> ConsoleChange {
        ConsoleChange(kind: kind, device: UUID(), branch: UUID(), region: region)
    }

    @Test("a change goes to the operators who reach its region; one without a region only to the unlimited")
    func regions() throws {
        let broadcaster = ConsoleBroadcaster()
        let admin = try #require(broadcaster.subscribe(Self.admin))
        let manager = try #require(broadcaster.subscribe(Self.imereti))
        broadcaster.publish(Self.change(region: "Imereti"))
        broadcaster.publish(Self.change(region: "Adjara"))
        broadcaster.publish(Self.change(region: nil))
        #expect(admin.take().frames.count == 3)
        let frames = manager.take().frames
        #expect(frames.count == 1)
        #expect(frames.first?.contains("event: change\ndata: {\"device\":\"") == true)
        #expect(frames.first?.hasPrefix("id: ") == true)
    }

    @Test("a client that does not take its frames gets one resync instead of a growing buffer")
    func slowClient() throws {
        var limits = ConsoleBroadcaster.Limits()
        limits.bufferedEvents = 4
        let broadcaster = ConsoleBroadcaster(limits: limits)
        let slow = try #require(broadcaster.subscribe(Self.admin))
        for _ in 0..<4 { broadcaster.publish(Self.change(region: nil)) }
        let taken = slow.take()
        #expect(taken.frames.count == 4 && !taken.resync, "a full buffer is not an overflow")
        for _ in 0..<100 { broadcaster.publish(Self.change(region: nil)) }
        let batch = slow.take()
        #expect(batch.resync)
        #expect(batch.frames.isEmpty)
        broadcaster.publish(Self.change(region: nil))
        #expect(slow.take().frames.count == 1, "after a resync, frames queue again")
    }

    @Test("beyond the maximum of open streams, none is opened until one closes")
    func maximumClients() throws {
        var limits = ConsoleBroadcaster.Limits()
        limits.maximumClients = 2
        let broadcaster = ConsoleBroadcaster(limits: limits)
        let first = try #require(broadcaster.subscribe(Self.admin))
        #expect(broadcaster.subscribe(Self.admin) != nil)
        #expect(broadcaster.subscribe(Self.admin) == nil)
        broadcaster.remove(first)
        #expect(broadcaster.subscribe(Self.admin) != nil)
        broadcaster.close()
        #expect(broadcaster.count == 0)
        #expect(broadcaster.subscribe(Self.admin) == nil, "closed: no new streams")
    }

    @Test("keep-alives reach every stream; a stream past its lifetime ends")
    func keepAliveAndLifetime() async throws {
        var limits = ConsoleBroadcaster.Limits()
        limits.streamLifetime = .seconds(60)
        let broadcaster = ConsoleBroadcaster(limits: limits)
        let stream = try #require(broadcaster.subscribe(Self.admin))
        broadcaster.keepAlive()
        #expect(stream.take().keepAlive)
        broadcaster.keepAlive(now: .now + .seconds(61))
        #expect(broadcaster.count == 0)
        var wakes = stream.wakes.makeAsyncIterator()
        while await wakes.next() != nil {}
        #expect(stream.take().isEmpty, "nothing queued after the end")
    }

    @Test("notices are read strictly: a kind is sent to browsers as is")
    func notices() throws {
        let device = UUID()
        let change = try ConsoleChange(
            payload: #"{"kind":"alert","device":"\#(device.uuidString.lowercased())","branch":null,"region":"Imereti"}"#
        )
        #expect(change == ConsoleChange(kind: "alert", device: device, branch: nil, region: "Imereti"))
        #expect(change.eventData == #"{"device":"\#(device.uuidString.lowercased())","branch":null,"kind":"alert"}"#)
        #expect(throws: ConsoleChange.Unreadable.self) { try ConsoleChange(payload: #"{"kind":"<script>"}"#) }
        #expect(throws: ConsoleChange.Unreadable.self) { try ConsoleChange(payload: "not json") }
        #expect(throws: ConsoleChange.Unreadable.self) { try ConsoleChange(payload: #"{"kind":"alert","device":"x"}"#) }
    }
}
