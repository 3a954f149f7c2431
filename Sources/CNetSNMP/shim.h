#ifndef OUTPOST_CNETSNMP_SHIM_H
#define OUTPOST_CNETSNMP_SHIM_H
// Order matters: these must precede net-snmp-config.h, whose _GNU_SOURCE otherwise
// breaks fd_set against Dispatch (docs/architecture.md, "Stack traps").
#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <string.h>
#include <stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

// Small helpers for what Swift cannot import from net-snmp (function-like and cast
// macros, union fields, key setup) and for the select loop over many sessions.
// Every helper that touches library state must run on the thread that owns the
// session handles, under OutpostProbes' process-wide net-snmp lock.

/// Initialises net-snmp for a client: no MIB parsing (numeric OIDs only), no config
/// files, no persistent state on disk. Call exactly once per process.
static inline void outpost_snmp_library_init(const char *app_name) {
    setenv("MIBS", "", 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    init_snmp(app_name);
    // The empty USM user that RFC 3414 engine discovery probes are sent as.
    if (usm_get_user(NULL, 0, "") == NULL) {
        struct usmUser *user = (struct usmUser *)calloc(1, sizeof(struct usmUser));
        if (user == NULL) return;
        user->name = strdup("");
        user->secName = strdup("");
        user->authProtocolLen = sizeof(usmNoAuthProtocol) / sizeof(oid);
        user->authProtocol = snmp_duplicate_objid(usmNoAuthProtocol, user->authProtocolLen);
        user->privProtocolLen = sizeof(usmNoPrivProtocol) / sizeof(oid);
        user->privProtocol = snmp_duplicate_objid(usmNoPrivProtocol, user->privProtocolLen);
        usm_add_user(user);
    }
}

int pipe2(int pipefd[2], int flags); // <unistd.h> declares it only with _GNU_SOURCE.

/// A non-blocking, close-on-exec pipe (atomically, unlike pipe + fcntl) to wake an I/O loop.
static inline int outpost_wake_pipe(int fds[2]) { return pipe2(fds, O_NONBLOCK | O_CLOEXEC); }

/// Authentication protocols, as `outpost_session_params.auth_protocol`.
enum {
    OUTPOST_AUTH_NONE = 0, OUTPOST_AUTH_MD5 = 1, OUTPOST_AUTH_SHA = 2, OUTPOST_AUTH_SHA224 = 3,
    OUTPOST_AUTH_SHA256 = 4, OUTPOST_AUTH_SHA384 = 5, OUTPOST_AUTH_SHA512 = 6,
};
/// Privacy protocols, as `outpost_session_params.priv_protocol`.
enum { OUTPOST_PRIV_NONE = 0, OUTPOST_PRIV_DES = 1, OUTPOST_PRIV_AES128 = 2 };
/// Request kinds for `outpost_pdu_create`.
enum { OUTPOST_PDU_GET = 0, OUTPOST_PDU_GETNEXT = 1, OUTPOST_PDU_GETBULK = 2 };

/// What a session needs; strings are NUL-terminated and only read during the call.
typedef struct outpost_session_params {
    const char *peer;               // "udp:127.0.0.1:161" or "udp6:[::1]:161"
    long version;                   // 1, 2 (2c) or 3
    const unsigned char *community; // v1/v2c
    size_t community_len;
    long timeout_us;
    int retries;
    const char *security_name;      // v3
    int auth_protocol;
    const char *auth_passphrase;
    int priv_protocol;
    const char *priv_passphrase;
} outpost_session_params;

static inline oid *outpost_auth_oid(int protocol) {
    switch (protocol) {
    case OUTPOST_AUTH_MD5: return usmHMACMD5AuthProtocol;
    case OUTPOST_AUTH_SHA: return usmHMACSHA1AuthProtocol;
    case OUTPOST_AUTH_SHA224: return usmHMAC128SHA224AuthProtocol;
    case OUTPOST_AUTH_SHA256: return usmHMAC192SHA256AuthProtocol;
    case OUTPOST_AUTH_SHA384: return usmHMAC256SHA384AuthProtocol;
    case OUTPOST_AUTH_SHA512: return usmHMAC384SHA512AuthProtocol;
    default: return usmNoAuthProtocol;
    }
}

/// Receive buffer asked for each session's UDP socket. The kernel's default (208 KiB) is
/// charged 1,280 bytes per small datagram and credited back in batches, so it holds only about
/// 160 v3 responses: a session with 128 requests in flight sits at the brim and the kernel
/// drops a response now and then, each costing its request a whole timeout and a retry
/// (docs/architecture.md, "Stack traps"). Memory is only charged for datagrams queued.
enum { OUTPOST_SESSION_RECEIVE_BUFFER_BYTES = 1 << 20 };

/// Best effort: SO_RCVBUFFORCE passes net.core.rmem_max when privileged; SO_RCVBUF is capped by it.
static inline void outpost_reserve_receive_buffer(int sock) {
    int bytes = OUTPOST_SESSION_RECEIVE_BUFFER_BYTES;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) != 0) {
        (void)setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
    }
}

/// Opens a session without any network traffic (v3 engine discovery is left to the
/// caller: `SNMP_FLAGS_DONT_PROBE`). Returns NULL and sets `*snmp_errno` on failure.
static inline void *outpost_session_open(const outpost_session_params *p, int *snmp_errno) {
    netsnmp_session session;
    snmp_sess_init(&session);
    session.peername = (char *)p->peer;
    session.timeout = p->timeout_us;
    session.retries = p->retries;
    switch (p->version) {
    case 1: session.version = SNMP_VERSION_1; break;
    case 2: session.version = SNMP_VERSION_2c; break;
    default: session.version = SNMP_VERSION_3; break;
    }
    if (session.version != SNMP_VERSION_3) {
        session.community = (u_char *)p->community;
        session.community_len = p->community_len;
    } else {
        session.securityModel = SNMP_SEC_MODEL_USM;
        session.securityName = (char *)p->security_name;
        session.securityNameLen = strlen(p->security_name);
        session.securityLevel = SNMP_SEC_LEVEL_NOAUTH;
        if (p->auth_protocol != OUTPOST_AUTH_NONE) {
            session.securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
            session.securityAuthProto = outpost_auth_oid(p->auth_protocol);
            session.securityAuthProtoLen = USM_AUTH_PROTO_SHA_LEN;
            session.securityAuthKeyLen = USM_AUTH_KU_LEN;
            if (generate_Ku(session.securityAuthProto, (u_int)session.securityAuthProtoLen,
                            (const u_char *)p->auth_passphrase, strlen(p->auth_passphrase),
                            session.securityAuthKey, &session.securityAuthKeyLen) != SNMPERR_SUCCESS) {
                *snmp_errno = SNMPERR_GENERR;
                return NULL;
            }
            if (p->priv_protocol != OUTPOST_PRIV_NONE) {
                session.securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
#ifndef NETSNMP_DISABLE_DES
                session.securityPrivProto = p->priv_protocol == OUTPOST_PRIV_DES ? usmDESPrivProtocol : usmAESPrivProtocol;
#else
                session.securityPrivProto = usmAESPrivProtocol;
#endif
                session.securityPrivProtoLen = USM_PRIV_PROTO_AES_LEN;
                session.securityPrivKeyLen = USM_PRIV_KU_LEN;
                // Like snmpcmd: the privacy key is derived with the authentication hash.
                if (generate_Ku(session.securityAuthProto, (u_int)session.securityAuthProtoLen,
                                (const u_char *)p->priv_passphrase, strlen(p->priv_passphrase),
                                session.securityPrivKey, &session.securityPrivKeyLen) != SNMPERR_SUCCESS) {
                    *snmp_errno = SNMPERR_GENERR;
                    return NULL;
                }
            }
        }
    }
    void *handle = snmp_sess_open(&session);
    // Clear key material from the stack copy (the library keeps its own).
    memset(session.securityAuthKey, 0, sizeof(session.securityAuthKey));
    memset(session.securityPrivKey, 0, sizeof(session.securityPrivKey));
    if (handle == NULL) {
        *snmp_errno = session.s_snmp_errno;
        return NULL;
    }
    snmp_sess_session(handle)->flags |= SNMP_FLAGS_DONT_PROBE;
    netsnmp_transport *transport = snmp_sess_transport(handle);
    if (transport != NULL && transport->sock >= 0) {
        // net-snmp opens its socket without close-on-exec: keep it out of spawned children.
        fcntl(transport->sock, F_SETFD, FD_CLOEXEC);
        outpost_reserve_receive_buffer(transport->sock);
    }
    return handle;
}

/// True while a v3 session has not learned its agent's engine ID yet.
static inline int outpost_session_needs_discovery(void *handle) {
    netsnmp_session *s = snmp_sess_session(handle);
    return s->version == SNMP_VERSION_3 && s->securityEngineIDLen == 0;
}

/// An RFC 3414 discovery probe: an empty noAuthNoPriv GET from the empty user.
static inline netsnmp_pdu *outpost_discovery_pdu_create(void) {
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
    if (pdu == NULL) return NULL;
    pdu->version = SNMP_VERSION_3;
    pdu->securityName = strdup("");
    pdu->securityNameLen = 0;
    pdu->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
    pdu->securityModel = SNMP_SEC_MODEL_USM;
    return pdu;
}

/// Takes the agent's engine ID from the discovery report into the session (the library
/// only does this for its own blocking probe). Returns 0 when the session has one now.
static inline int outpost_session_adopt_engine_id(void *handle, const netsnmp_pdu *report) {
    netsnmp_session *s = snmp_sess_session(handle);
    if (s->securityEngineIDLen == 0 && report != NULL && report->securityEngineIDLen > 0) {
        s->securityEngineID = (u_char *)netsnmp_memdup(report->securityEngineID, report->securityEngineIDLen);
        if (s->securityEngineID == NULL) return -1;
        s->securityEngineIDLen = report->securityEngineIDLen;
    }
    if (s->contextEngineIDLen == 0 && s->securityEngineIDLen > 0) {
        s->contextEngineID = (u_char *)netsnmp_memdup(s->securityEngineID, s->securityEngineIDLen);
        if (s->contextEngineID != NULL) s->contextEngineIDLen = s->securityEngineIDLen;
    }
    return s->securityEngineIDLen > 0 ? 0 : -1;
}

/// After discovery: (re)creates the session's USM user for the learned engine ID, so the
/// keys of this session win over a stale cached user. Returns 0 on success.
static inline int outpost_session_install_user(void *handle) {
    netsnmp_session *s = snmp_sess_session(handle);
    if (s->securityEngineIDLen == 0) return -1;
    struct usmUser *user = usm_get_user(s->securityEngineID, s->securityEngineIDLen, s->securityName);
    if (user != NULL) {
        usm_remove_user(user);
        usm_free_user(user);
    }
    return create_user_from_session(s) == SNMPERR_SUCCESS ? 0 : -1;
}

/// Removes the session's cached USM user (after an authentication failure), so that a
/// corrected key is used by the next session instead of the first key seen.
static inline void outpost_session_forget_user(void *handle) {
    netsnmp_session *s = snmp_sess_session(handle);
    if (s->version != SNMP_VERSION_3 || s->securityEngineIDLen == 0) return;
    struct usmUser *user = usm_get_user(s->securityEngineID, s->securityEngineIDLen, s->securityName);
    if (user != NULL) {
        usm_remove_user(user);
        usm_free_user(user);
    }
}

/// A request PDU; `non_repeaters`/`max_repetitions` only matter for GETBULK.
static inline netsnmp_pdu *outpost_pdu_create(int kind, long non_repeaters, long max_repetitions) {
    int command = kind == OUTPOST_PDU_GETBULK ? SNMP_MSG_GETBULK
                : kind == OUTPOST_PDU_GETNEXT ? SNMP_MSG_GETNEXT : SNMP_MSG_GET;
    netsnmp_pdu *pdu = snmp_pdu_create(command);
    if (pdu != NULL && kind == OUTPOST_PDU_GETBULK) {
        pdu->non_repeaters = non_repeaters;
        pdu->max_repetitions = max_repetitions;
    }
    return pdu;
}

static inline int outpost_pdu_is_report(const netsnmp_pdu *pdu) { return pdu->command == SNMP_MSG_REPORT; }

/// Integer payload of a variable (INTEGER, Counter32, Gauge32, TimeTicks, IpAddress raw).
static inline long outpost_var_integer(const netsnmp_variable_list *v) {
    return v->val.integer != NULL ? *v->val.integer : 0;
}
/// Counter64 payload of a variable.
static inline unsigned long long outpost_var_counter64(const netsnmp_variable_list *v) {
    if (v->val.counter64 == NULL) return 0;
    return ((unsigned long long)(v->val.counter64->high & 0xffffffffUL) << 32) |
           (unsigned long long)(v->val.counter64->low & 0xffffffffUL);
}
/// The Opaque-wrapped types net-snmp decodes into native values (float, double, counter64,
/// int64, uint64) re-encoded to the Opaque contents that came over the wire. Writes at most
/// `capacity` bytes to `out` and returns their count, or 0 when `v` is not such a type.
static inline size_t outpost_var_special_opaque(const netsnmp_variable_list *v, u_char *out, size_t capacity) {
    u_char buffer[32];
    size_t left = sizeof(buffer);
    u_char *end = NULL;
    if (v->val.string == NULL) return 0;
    switch (v->type) {
    case ASN_OPAQUE_FLOAT: end = asn_build_float(buffer, &left, ASN_OPAQUE_FLOAT, v->val.floatVal, sizeof(float)); break;
    case ASN_OPAQUE_DOUBLE: end = asn_build_double(buffer, &left, ASN_OPAQUE_DOUBLE, v->val.doubleVal, sizeof(double)); break;
    case ASN_OPAQUE_COUNTER64:
    case ASN_OPAQUE_U64: end = asn_build_unsigned_int64(buffer, &left, v->type, v->val.counter64, sizeof(struct counter64)); break;
    case ASN_OPAQUE_I64: end = asn_build_signed_int64(buffer, &left, ASN_OPAQUE_I64, v->val.counter64, sizeof(struct counter64)); break;
    default: return 0;
    }
    if (end == NULL) return 0;
    size_t total = (size_t)(end - buffer);
    // Drop the outer Opaque header (tag 0x44, one short length octet): keep its contents.
    if (total < 2 || (buffer[1] & 0x80) != 0 || total - 2 > capacity) return 0;
    memcpy(out, buffer + 2, total - 2);
    return total - 2;
}
static inline const u_char *outpost_var_bytes(const netsnmp_variable_list *v) { return v->val.string; }
static inline const oid *outpost_var_objid(const netsnmp_variable_list *v) { return v->val.objid; }

/// Reusable select state of one I/O loop (a large fd set: descriptors may exceed FD_SETSIZE).
typedef struct outpost_poll {
    netsnmp_large_fd_set fds;
    int numfds;
    struct timeval timeout;
} outpost_poll;

static inline outpost_poll *outpost_poll_create(void) {
    outpost_poll *p = (outpost_poll *)calloc(1, sizeof(outpost_poll));
    if (p != NULL) netsnmp_large_fd_set_init(&p->fds, FD_SETSIZE);
    return p;
}

static inline void outpost_poll_destroy(outpost_poll *p) {
    netsnmp_large_fd_set_cleanup(&p->fds);
    free(p);
}

/// Collects the sockets of `count` sessions plus `wake_fd`, and the earliest retransmission
/// deadline capped at `max_wait_ms`. Needs the net-snmp lock.
static inline void outpost_poll_prepare(outpost_poll *p, void *const *sessions, int count, int wake_fd, long max_wait_ms) {
    // Re-initialising empties the set (NETSNMP_LARGE_FD_ZERO needs glibc's _GNU_SOURCE fd_set).
    netsnmp_large_fd_set_cleanup(&p->fds);
    netsnmp_large_fd_set_init(&p->fds, FD_SETSIZE);
    p->numfds = wake_fd + 1;
    netsnmp_large_fd_setfd(wake_fd, &p->fds);
    p->timeout.tv_sec = max_wait_ms / 1000;
    p->timeout.tv_usec = (max_wait_ms % 1000) * 1000;
    for (int i = 0; i < count; i++) {
        struct timeval session_timeout = p->timeout;
        int block = 0;
        snmp_sess_select_info2(sessions[i], &p->numfds, &p->fds, &session_timeout, &block);
        if (!block && timercmp(&session_timeout, &p->timeout, <)) p->timeout = session_timeout;
    }
}

/// Waits for the prepared sockets (no library state touched: call without the lock).
/// Returns the number of ready descriptors, 0 on timeout or signal, -1 on error.
static inline int outpost_poll_wait(outpost_poll *p) {
    int ready = netsnmp_large_fd_set_select(p->numfds, &p->fds, NULL, NULL, &p->timeout);
    if (ready < 0 && errno == EINTR) return 0;
    return ready;
}

static inline int outpost_poll_is_ready(outpost_poll *p, int fd) {
    return netsnmp_large_fd_is_set(fd, &p->fds);
}

/// Reads what arrived on ready sessions, then runs retransmissions and timeouts; request
/// callbacks fire in here. Needs the net-snmp lock. Pass `ready` = 0 after a timeout.
static inline void outpost_poll_dispatch(outpost_poll *p, void *const *sessions, int count, int ready) {
    for (int i = 0; i < count; i++) {
        if (ready > 0) snmp_sess_read2(sessions[i], &p->fds);
        snmp_sess_timeout(sessions[i]);
    }
}

#endif
