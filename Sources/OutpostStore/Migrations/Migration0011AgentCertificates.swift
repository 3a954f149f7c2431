extension Migration {
    /// Every certificate ever issued to an agent, so that revoking the agent revokes all of
    /// them (an older certificate still within its validity would otherwise pass a peer that
    /// checks the CRL) and renewals can be counted per hour.
    ///
    /// A trigger on `agents` records the certificate of each enrolment (INSERT) and of each
    /// renewal (an UPDATE changing `cert_serial`, `renewal` true), so no writer of `agents` can
    /// forget one; the current certificates are copied once, as issued at enrolment.
    static let agentCertificates = Migration(
        version: 11,
        name: "agent_certificates",
        sql: EmbeddedResources.text("Migrations/0011-agent-certificates.sql")
    )
}
