import CNetSNMP

/// The state of one I/O thread: its sessions and requests in flight. Created on that
/// thread and used only there (net-snmp's `snmp_sess_*` handles allow one thread each);
/// net-snmp calls additionally hold `NetSNMPLibrary.lock` because the USM state is global.
final class SNMPLoopRunner {
    private struct InFlight {
        /// `nil` for a v3 engine discovery probe.
        var request: SNMPRequest?
        var session: SNMPSessionRecord
    }

    private enum FollowUp {
        case discovered(SNMPSessionRecord)
        case discoveryFailed(SNMPSessionRecord, SNMPError)
        case credentialsRejected(SNMPSessionRecord, SNMPError)
    }

    /// Sessions without traffic for this long are closed.
    private static let idleLimit: Duration = .seconds(300)

    private let loop: SNMPIOLoop
    private let clock = ContinuousClock()
    private var sessions: [SNMPTarget: SNMPSessionRecord] = [:]
    private var inFlight: [Int: InFlight] = [:]
    private var nextToken = 1
    private var followUps: [FollowUp] = []
    private var lastIdleSweep: ContinuousClock.Instant

    init(loop: SNMPIOLoop) {
        self.loop = loop
        self.lastIdleSweep = clock.now
    }

    /// Runs until the loop is asked to stop.
    func run() {
        guard let poll = outpost_poll_create() else {
            loop.finished()
            return
        }
        defer {
            outpost_poll_destroy(poll)
            loop.finished()
        }
        let selfPointer = Unmanaged.passUnretained(self).toOpaque()
        while true {
            let (requests, stop) = loop.drain()
            var handles: [UnsafeMutableRawPointer?] = []
            NetSNMPLibrary.lock.withLock { _ in
                for request in requests { start(request, runner: selfPointer) }
                if stop {
                    closeAll()
                    return
                }
                sweepIdleSessions()
                handles = sessions.values.map(\.handle)
                outpost_poll_prepare(poll, handles, Int32(handles.count), loop.wakeReader, 1_000)
            }
            if stop { return }
            let ready = outpost_poll_wait(poll)
            NetSNMPLibrary.lock.withLock { _ in
                outpost_poll_dispatch(poll, handles, Int32(handles.count), ready)
                runFollowUps()
            }
        }
    }

    // MARK: - Requests

    private func start(_ request: SNMPRequest, runner: UnsafeMutableRawPointer) {
        let session: SNMPSessionRecord
        if let existing = sessions[request.target] {
            session = existing
        } else {
            do {
                session = try SNMPSessionRecord.open(request.target, runner: runner, now: clock.now)
            } catch {
                request.complete(.failure(error))
                return
            }
            sessions[request.target] = session
        }
        session.lastUsed = clock.now
        guard session.ready else {
            session.waiting.append(request)
            if !session.discovering { startDiscovery(session) }
            return
        }
        send(request, on: session)
    }

    private func send(_ request: SNMPRequest, on session: SNMPSessionRecord) {
        let pdu: UnsafeMutablePointer<netsnmp_pdu>?
        switch request.operation {
        case .get: pdu = outpost_pdu_create(Int32(OUTPOST_PDU_GET), 0, 0)
        case .getNext: pdu = outpost_pdu_create(Int32(OUTPOST_PDU_GETNEXT), 0, 0)
        case .getBulk(let nonRepeaters, let maxRepetitions):
            pdu = outpost_pdu_create(Int32(OUTPOST_PDU_GETBULK), nonRepeaters, maxRepetitions)
        }
        guard let pdu else {
            request.complete(.failure(.sessionFailed("cannot allocate PDU")))
            return
        }
        for oid in request.oids {
            oid.components.withUnsafeBufferPointer { buffer in
                _ = snmp_add_null_var(pdu, buffer.baseAddress, buffer.count)
            }
        }
        transmit(pdu, for: InFlight(request: request, session: session))
    }

    private func startDiscovery(_ session: SNMPSessionRecord) {
        guard let pdu = outpost_discovery_pdu_create() else {
            discoveryFailed(session, .sessionFailed("cannot allocate PDU"))
            return
        }
        session.discovering = true
        transmit(pdu, for: InFlight(request: nil, session: session))
    }

    /// Sends asynchronously; the callback (or a send failure here) completes the entry.
    private func transmit(_ pdu: UnsafeMutablePointer<netsnmp_pdu>, for entry: InFlight) {
        let token = nextToken
        nextToken = nextToken == Int.max ? 1 : nextToken + 1
        inFlight[token] = entry
        entry.session.inFlight += 1
        let sent = snmp_sess_async_send(
            entry.session.handle, pdu, snmpResponseCallback, UnsafeMutableRawPointer(bitPattern: token))
        if sent == 0 {
            // Not sent: net-snmp leaves the PDU to the caller, who must free it.
            snmp_free_pdu(pdu)
            let error = SNMPError.sessionFailed(entry.session.lastErrorText)
            if let entry = inFlight.removeValue(forKey: token) {
                finish(entry, .failure(error))
            }
            runFollowUps()
        }
    }

    // MARK: - Responses (called from net-snmp inside dispatch, on this thread)

    fileprivate func handle(operation: Int32, token: Int, pdu: UnsafeMutablePointer<netsnmp_pdu>?) {
        if operation == NETSNMP_CALLBACK_OP_RESEND || operation == NETSNMP_CALLBACK_OP_CONNECT { return }
        // net-snmp 5.9 hands every v3 Report to the callback twice: first as SEC_ERROR (before
        // it adopts the engine ID itself), then as RECEIVED_MESSAGE. The first call completes
        // the entry; the second finds no entry. Only notInTimeWindow waits for the second call,
        // because net-snmp may resend the request with the corrected engine time in between.
        if operation == NETSNMP_CALLBACK_OP_SEC_ERROR, let pdu, outpost_pdu_is_report(pdu) != 0,
            snmpv3_get_report_type(pdu) == SNMPERR_NOT_IN_TIME_WINDOW
        {
            return
        }
        guard let entry = inFlight.removeValue(forKey: token) else { return }
        if entry.request == nil,
            operation == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE || operation == NETSNMP_CALLBACK_OP_SEC_ERROR
        {
            // Discovery: the unknownEngineID report carries the agent's engine ID.
            _ = outpost_session_adopt_engine_id(entry.session.handle, pdu)
        }
        let result: Result<[DecodedVarBind], SNMPError>
        switch operation {
        case NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE, NETSNMP_CALLBACK_OP_SEC_ERROR:
            if let pdu {
                if outpost_pdu_is_report(pdu) != 0 {
                    result = .failure(SNMPPDUDecoder.reportError(pdu))
                } else if pdu.pointee.errstat != 0 {
                    result = .failure(.agentError(status: pdu.pointee.errstat, index: pdu.pointee.errindex))
                } else {
                    result = .success(SNMPPDUDecoder.varBinds(pdu.pointee.variables))
                }
            } else {
                result = .failure(.sessionFailed(entry.session.lastErrorText))
            }
        case NETSNMP_CALLBACK_OP_TIMED_OUT:
            result = .failure(.timeout)
        default:
            result = .failure(.sessionFailed(entry.session.lastErrorText))
        }
        finish(entry, result)
    }

    private func finish(_ entry: InFlight, _ result: Result<[DecodedVarBind], SNMPError>) {
        let session = entry.session
        session.inFlight -= 1
        guard let request = entry.request else {
            // Discovery: the report carrying the engine ID arrives as a response.
            session.discovering = false
            if outpost_session_needs_discovery(session.handle) == 0 {
                followUps.append(.discovered(session))
            } else {
                let error: SNMPError =
                    if case .failure(let error) = result { error } else {
                        .sessionFailed("no engine ID in discovery response")
                    }
                followUps.append(.discoveryFailed(session, error))
            }
            return
        }
        if case .failure(let error) = result, case .authenticationFailure = error {
            followUps.append(.credentialsRejected(session, error))
        }
        request.complete(result)
    }

    // MARK: - Session lifecycle (outside net-snmp callbacks)

    private func runFollowUps() {
        while !followUps.isEmpty {
            let followUp = followUps.removeFirst()
            switch followUp {
            case .discovered(let session):
                guard sessions[session.target] === session else { continue }
                guard outpost_session_install_user(session.handle) == 0 else {
                    discoveryFailed(session, .sessionFailed("cannot create USM user"))
                    continue
                }
                session.ready = true
                let waiting = session.waiting
                session.waiting.removeAll()
                for request in waiting { send(request, on: session) }
            case .discoveryFailed(let session, let error):
                discoveryFailed(session, error)
            case .credentialsRejected(let session, let error):
                guard sessions[session.target] === session else { continue }
                // The USM cache keeps the first key seen: drop it so corrected credentials work.
                outpost_session_forget_user(session.handle)
                close(session, failingWith: error)
            }
        }
    }

    private func discoveryFailed(_ session: SNMPSessionRecord, _ error: SNMPError) {
        guard sessions[session.target] === session else { return }
        close(session, failingWith: error)
    }

    /// Completes everything still waiting on `session` with `error` and closes it.
    private func close(_ session: SNMPSessionRecord, failingWith error: SNMPError) {
        sessions[session.target] = nil
        let waiting = session.waiting
        session.waiting.removeAll()
        for request in waiting { request.complete(.failure(error)) }
        let tokens = inFlight.filter { $0.value.session === session }.map(\.key)
        for token in tokens {
            if let entry = inFlight.removeValue(forKey: token) { entry.request?.complete(.failure(error)) }
        }
        snmp_sess_close(session.handle)
    }

    private func sweepIdleSessions() {
        let now = clock.now
        guard now - lastIdleSweep >= .seconds(1) else { return }
        lastIdleSweep = now
        for session in sessions.values
        where session.inFlight == 0 && session.waiting.isEmpty && now - session.lastUsed > Self.idleLimit {
            close(session, failingWith: .shutdown)
        }
    }

    private func closeAll() {
        for session in Array(sessions.values) { close(session, failingWith: .shutdown) }
    }
}

/// net-snmp's completion callback: `magic` is the request token, the session's
/// `callback_magic` the runner of the thread that is dispatching right now.
private func snmpResponseCallback(
    operation: Int32, session: UnsafeMutablePointer<netsnmp_session>?, requestID: Int32,
    pdu: UnsafeMutablePointer<netsnmp_pdu>?, magic: UnsafeMutableRawPointer?
) -> Int32 {
    guard let runnerPointer = session?.pointee.callback_magic else { return 1 }
    let runner = Unmanaged<SNMPLoopRunner>.fromOpaque(runnerPointer).takeUnretainedValue()
    runner.handle(operation: operation, token: Int(bitPattern: magic), pdu: pdu)
    return 1
}
