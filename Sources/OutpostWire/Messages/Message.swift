/// Every message of the agent ↔ collector protocol. `docs/protocol.md` gives the byte layout
/// of each and which side may send it.
public enum Message: Sendable, Equatable {
    /// Agent → collector, first message of a session.
    case hello(Hello)
    /// Collector → agent, answer to ``hello(_:)``.
    case welcome(Welcome)
    /// Either direction, keeps an idle session alive and measures clock offset.
    case heartbeat(Heartbeat)
    /// Either direction, a fatal session error; the sender closes after it.
    case error(ErrorMessage)
    /// Agent → collector, results.
    case batch(SignedBatch)
    /// Collector → agent, batches durably stored.
    case ack(Ack)
    /// Collector → agent, a batch refused.
    case nack(Nack)
    /// Collector → agent, a configuration snapshot.
    case config(ConfigSnapshot)
    /// Collector → agent, work to do.
    case job(Job)
    /// Agent → collector, how far a job got.
    case jobProgress(JobProgress)
    /// Agent → collector, how a job ended.
    case jobResult(JobResult)
    /// Collector → agent, stop a job.
    case jobCancel(JobCancel)
    /// Agent → collector, a certificate signing request for a renewed certificate.
    case renewRequest(RenewRequest)
    /// Collector → agent, the renewed certificate chain.
    case renewResponse(RenewResponse)

    /// Decodes the frame's payload as the message its type names.
    ///
    /// - Throws: ``WireError`` for malformed payloads, out-of-range fields or trailing bytes.
    public init(frame: Frame) throws(WireError) {
        var reader = WireReader(frame.payload)
        switch frame.type {
        case .hello: self = .hello(try Hello(from: &reader))
        case .welcome: self = .welcome(try Welcome(from: &reader))
        case .heartbeat: self = .heartbeat(try Heartbeat(from: &reader))
        case .error: self = .error(try ErrorMessage(from: &reader))
        case .batch: self = .batch(try SignedBatch(from: &reader))
        case .ack: self = .ack(try Ack(from: &reader))
        case .nack: self = .nack(try Nack(from: &reader))
        case .config: self = .config(try ConfigSnapshot(from: &reader))
        case .job: self = .job(try Job(from: &reader))
        case .jobProgress: self = .jobProgress(try JobProgress(from: &reader))
        case .jobResult: self = .jobResult(try JobResult(from: &reader))
        case .jobCancel: self = .jobCancel(try JobCancel(from: &reader))
        case .renewRequest: self = .renewRequest(try RenewRequest(from: &reader))
        case .renewResponse: self = .renewResponse(try RenewResponse(from: &reader))
        }
        try reader.finish()
    }

    /// The message as a frame.
    ///
    /// - Throws: ``WireError/invalidField(field:reason:)`` when a field is beyond its limit
    ///   (the peer would refuse it).
    public func frame() throws(WireError) -> Frame {
        var writer = WireWriter()
        let type: MessageType
        switch self {
        case .hello(let body):
            type = .hello
            try body.encode(to: &writer)
        case .welcome(let body):
            type = .welcome
            try body.encode(to: &writer)
        case .heartbeat(let body):
            type = .heartbeat
            try body.encode(to: &writer)
        case .error(let body):
            type = .error
            try body.encode(to: &writer)
        case .batch(let body):
            type = .batch
            body.encode(to: &writer)
        case .ack(let body):
            type = .ack
            try body.encode(to: &writer)
        case .nack(let body):
            type = .nack
            try body.encode(to: &writer)
        case .config(let body):
            type = .config
            try body.encode(to: &writer)
        case .job(let body):
            type = .job
            body.encode(to: &writer)
        case .jobProgress(let body):
            type = .jobProgress
            try body.encode(to: &writer)
        case .jobResult(let body):
            type = .jobResult
            try body.encode(to: &writer)
        case .jobCancel(let body):
            type = .jobCancel
            try body.encode(to: &writer)
        case .renewRequest(let body):
            type = .renewRequest
            body.encode(to: &writer)
        case .renewResponse(let body):
            type = .renewResponse
            try body.encode(to: &writer)
        }
        return Frame(type: type, payload: writer.bytes)
    }

    /// The message as frame bytes ready for the stream.
    public func encodedFrame(maximumPayloadSize: Int = FrameDecoder.defaultMaximumPayloadSize) throws(WireError)
        -> [UInt8]
    {
        try frame().encoded(maximumPayloadSize: maximumPayloadSize)
    }
}
