import CNetSNMP

/// One open net-snmp session (one UDP socket) to one target, owned by one I/O thread.
final class SNMPSessionRecord {
    let target: SNMPTarget
    let handle: UnsafeMutableRawPointer
    /// False until a v3 session learned its agent's engine ID.
    var ready: Bool
    var discovering = false
    /// Requests waiting for v3 discovery.
    var waiting: [SNMPRequest] = []
    var inFlight = 0
    var lastUsed: ContinuousClock.Instant

    init(target: SNMPTarget, handle: UnsafeMutableRawPointer, ready: Bool, now: ContinuousClock.Instant) {
        self.target = target
        self.handle = handle
        self.ready = ready
        self.lastUsed = now
    }

    /// Opens a session for `target` without network traffic. Call under the net-snmp lock.
    static func open(_ target: SNMPTarget, runner: UnsafeMutableRawPointer, now: ContinuousClock.Instant)
        throws(SNMPError) -> SNMPSessionRecord
    {
        var strings: [UnsafeMutablePointer<CChar>?] = []
        defer {
            for string in strings {
                if let string {
                    memset(string, 0, strlen(string))
                    free(string)
                }
            }
        }
        func c(_ text: String) -> UnsafePointer<CChar>? {
            let copy = strdup(text)
            strings.append(copy)
            return UnsafePointer(copy)
        }
        var params = outpost_session_params()
        params.peer = c(target.peerName)
        params.timeout_us =
            Int(target.timeout.components.seconds) * 1_000_000
            + Int(target.timeout.components.attoseconds / 1_000_000_000_000)
        params.retries = Int32(target.retries)
        switch target.security {
        case .v1(let community), .v2c(let community):
            if case .v1 = target.security { params.version = 1 } else { params.version = 2 }
            params.community = c(community).map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) }
            params.community_len = community.utf8.count
        case .v3(let user):
            params.version = 3
            params.security_name = c(user.userName)
            params.auth_protocol = Int32(OUTPOST_AUTH_NONE)
            params.priv_protocol = Int32(OUTPOST_PRIV_NONE)
            if let authentication = user.authentication {
                params.auth_protocol = authCode(authentication.protocol)
                params.auth_passphrase = c(authentication.passphrase)
            }
            if let privacy = user.privacy {
                params.priv_protocol = Int32(privacy.protocol == .des ? OUTPOST_PRIV_DES : OUTPOST_PRIV_AES128)
                params.priv_passphrase = c(privacy.passphrase)
            }
        }
        var code: Int32 = 0
        guard let handle = outpost_session_open(&params, &code) else {
            throw .sessionFailed(NetSNMPLibrary.errorText(code))
        }
        snmp_sess_session(handle).pointee.callback_magic = runner
        return SNMPSessionRecord(
            target: target, handle: handle, ready: outpost_session_needs_discovery(handle) == 0, now: now)
    }

    private static func authCode(_ value: SNMPv3User.AuthenticationProtocol) -> Int32 {
        let code =
            switch value {
            case .md5: OUTPOST_AUTH_MD5
            case .sha1: OUTPOST_AUTH_SHA
            case .sha224: OUTPOST_AUTH_SHA224
            case .sha256: OUTPOST_AUTH_SHA256
            case .sha384: OUTPOST_AUTH_SHA384
            case .sha512: OUTPOST_AUTH_SHA512
            }
        return Int32(code)
    }

    /// The session's last net-snmp error text. Call under the net-snmp lock.
    var lastErrorText: String {
        NetSNMPLibrary.errorText(snmp_sess_session(handle).pointee.s_snmp_errno)
    }
}
