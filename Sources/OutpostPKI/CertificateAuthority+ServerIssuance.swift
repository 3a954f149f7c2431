import Crypto
import Foundation
import SwiftASN1
import X509

extension CertificateAuthority {
    /// Issues the collector's TLS server certificate for `publicKey` (generate the key with
    /// ``P256Key/generate()`` and store it with ``P256Key/save(to:replace:)``).
    ///
    /// The certificate has KeyUsage digitalSignature, ExtendedKeyUsage serverAuth, SKI/AKI and
    /// a SAN entry for each DNS name and IP address (at least one in total). Several collector
    /// replicas behind a load balancer share one certificate naming the balancer's names.
    ///
    /// - Parameters:
    ///   - publicKey: The collector's TLS public key (ECDSA P-256).
    ///   - dnsNames: Host names agents connect to, e.g. `collector.bank.example`.
    ///   - ipAddresses: IPv4 or IPv6 literals agents connect to.
    ///   - commonName: The subject CN (informational).
    ///   - lifetime: Validity from `now`; default 397 days.
    ///   - now: The issuing time.
    public func issueServerCertificate(
        publicKey: Certificate.PublicKey,
        dnsNames: [String],
        ipAddresses: [String] = [],
        commonName: String = "outpost-collector",
        lifetime: TimeInterval = PKIDefaults.serverCertificateLifetime,
        now: Date = Date()
    ) throws -> Certificate {
        guard lifetime > 0 else { throw IssuanceError.invalidLifetime }
        guard P256.Signing.PublicKey(publicKey) != nil else { throw IssuanceError.unsupportedKeyType }
        guard !dnsNames.isEmpty || !ipAddresses.isEmpty else { throw IssuanceError.noSubjectAlternativeNames }
        var names: [GeneralName] = []
        for name in dnsNames {
            guard HostName.isValidDNSName(name) else { throw IssuanceError.invalidDNSName(name) }
            names.append(.dnsName(name.lowercased()))
        }
        for address in ipAddresses {
            guard let bytes = HostName.ipAddressBytes(address) else { throw IssuanceError.invalidIPAddress(address) }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        let subject = try DistinguishedName {
            OrganizationName("Outpost")
            CommonName(commonName)
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: subjectKeyIdentifier)
            SubjectAlternativeNames(names)
        }
        return try sign(publicKey: publicKey, subject: subject, extensions: extensions, lifetime: lifetime, now: now)
    }
}
