import Foundation

/// A trace handed to the I/O thread: what to trace and whom to tell.
struct TraceRequest: Sendable {
    /// The engine-wide number ``TraceEngine`` uses to cancel it.
    let serial: UInt64
    let target: ICMPAddress
    let configuration: TraceConfiguration
    let completion: @Sendable (TraceResult) -> Void
}

/// What the async side asks of the I/O thread.
enum TraceCommand: Sendable {
    case start(TraceRequest)
    case cancel(serial: UInt64)
}
