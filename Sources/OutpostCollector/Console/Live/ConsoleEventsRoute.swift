import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// `GET /console/events`: the console's live updates as Server-Sent Events, behind the same
/// authentication as the management API (a session cookie or an API token; 401 without).
///
/// The stream starts with `retry:` and an `event: hello`, then carries an `event: change` for
/// each change the operator's regions reach (data `{"device":…,"branch":…,"kind":…}`, which
/// console.js reads), an `event: resync` when changes were lost (the page fetches itself anew),
/// and a keep-alive comment on a quiet interval. Beyond ``ConsoleBroadcaster/Limits``'s
/// maximum of open streams it answers 503 with `Retry-After`.
struct ConsoleEventsRoute: Sendable {
    /// The reconnection delay browsers are told, in milliseconds.
    static let retryMilliseconds = 1000

    let events: ConsoleBroadcaster
    let configuration: OperatorHTTPConfiguration
    let database: BoundedDatabaseAccess
    let logger: Logger

    private static let lastEventID = HTTPFields.Element.Name("Last-Event-ID")!
    private static let accelBuffering = HTTPFields.Element.Name("X-Accel-Buffering")!

    func register(on router: Router<OperatorRequestContext>) {
        let events = self.events
        router.group("console")
            .add(middleware: OperatorAuthenticator(database: database, configuration: configuration, logger: logger))
            .get("events") { request, context -> Response in
                guard let principal = context.principal else { return APIError.unauthenticated.response }
                guard let subscriber = events.subscribe(principal) else {
                    var response = APIError(
                        status: .serviceUnavailable, message: "too many open console event streams; retrying later"
                    ).response
                    response.headers[.retryAfter] = "30"
                    return response
                }
                let resumed = request.headers[Self.lastEventID].map { $0.count < 100 ? $0 : "" }
                let missed = resumed.map(events.missedEvents(since:)) ?? false
                return Response(
                    status: .ok,
                    headers: [
                        .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                        .xContentTypeOptions: "nosniff", Self.accelBuffering: "no",
                    ],
                    body: ResponseBody { writer in
                        defer { events.remove(subscriber) }
                        try await withGracefulShutdownHandler {
                            try await Self.stream(
                                subscriber, hello: events.lastEventID, resync: missed, to: &writer)
                        } onGracefulShutdown: {
                            subscriber.finish()
                        }
                        try await writer.finish(nil)
                    })
            }
    }

    /// Writes the stream's frames as they come until the subscriber finishes (deadline,
    /// shutdown) or the browser goes (the write fails).
    private static func stream(
        _ subscriber: ConsoleSubscriber, hello id: String, resync: Bool, to writer: inout any ResponseBodyWriter
    ) async throws {
        var text = "retry: \(retryMilliseconds)\nid: \(id)\nevent: hello\ndata: {}\n\n"
        if resync { text += resyncFrame }
        try await writer.write(ByteBuffer(string: text))
        var wakes = subscriber.wakes.makeAsyncIterator()
        while await wakes.next() != nil {
            let batch = subscriber.take()
            guard !batch.isEmpty else { continue }
            var buffer = ByteBuffer()
            if batch.resync {
                buffer.writeString(resyncFrame)
            } else {
                for frame in batch.frames { buffer.writeString(frame) }
            }
            if buffer.readableBytes == 0 { buffer.writeString(": keep-alive\n\n") }
            try await writer.write(buffer)
        }
    }

    private static let resyncFrame = "event: resync\ndata: {}\n\n"
}
