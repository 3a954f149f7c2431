import ArgumentParser
import Foundation
import OutpostCollector
import OutpostPKI

/// `outpost-collector ca …`: the Outpost certificate authority on disk (see certs/README.md).
struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Create and inspect the certificate authority; issue the collector's TLS certificate and the CRL.",
        subcommands: [Init.self, Show.self, IssueServer.self, RevocationList.self])

    struct Directory: ParsableArguments {
        @Option(name: .customLong("dir"), help: "The CA directory (ca.key, ca.crt, server.key, server.crt).")
        var path = "certs/ca"
    }

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Create ca.key and ca.crt (refuses to replace an existing CA).")

        @OptionGroup var directory: Directory
        @Option(help: "The CA certificate's common name.")
        var commonName = "Outpost CA"
        @Flag(help: "Replace an existing CA: every enrolled agent is orphaned.")
        var force = false

        func run() async throws {
            let authority = try CertificateAuthority.create(commonName: commonName)
            do {
                try authority.save(to: directory.path, force: force)
            } catch let error as PKIFileError where error.kind == .alreadyExists {
                throw ValidationError(
                    "a CA already exists in \(directory.path); replacing it orphans every enrolled agent (use --force)")
            }
            print("created the CA in \(directory.path)")
            print(authority.describe())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the CA's subject, validity (UTC) and SHA-256 fingerprint.")

        @OptionGroup var directory: Directory

        func run() async throws {
            let certificate = try CertificateFile.load(
                from: "\(directory.path)/\(CertificateAuthority.certificateFileName)")
            let fingerprint = try CertificateFingerprint(of: certificate)
            print(
                """
                Subject:     \(certificate.subject)
                Not before:  \(certificate.notValidBefore.formatted(.iso8601))
                Not after:   \(certificate.notValidAfter.formatted(.iso8601))
                SHA-256:     \(fingerprint.hex)
                """)
        }
    }

    struct IssueServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-server",
            abstract:
                "Issue the collector's TLS key and certificate (server.key, server.crt = server + CA certificate).")

        @OptionGroup var directory: Directory
        @Option(name: .customLong("dns"), help: "A DNS name agents connect to (repeatable).")
        var dnsNames: [String] = []
        @Option(name: .customLong("ip"), help: "An IP address agents connect to (repeatable).")
        var ipAddresses: [String] = []
        @Flag(help: "Replace an existing server.key and server.crt.")
        var force = false

        func run() async throws {
            guard !dnsNames.isEmpty || !ipAddresses.isEmpty else {
                throw ValidationError("give at least one --dns NAME or --ip ADDRESS")
            }
            let authority = try CertificateAuthority.load(from: directory.path)
            let key = P256Key.generate()
            let certificate = try authority.issueServerCertificate(
                publicKey: key.publicKey, dnsNames: dnsNames, ipAddresses: ipAddresses)
            let identity = try CollectorServerIdentity(
                certificateChain: [certificate, authority.certificate], privateKey: key)
            do {
                try identity.save(to: directory.path, replace: force)
            } catch let error as PKIFileError where error.kind == .alreadyExists {
                throw ValidationError("\(error.path) exists (use --force to replace it)")
            }
            print(
                "wrote \(directory.path)/\(CollectorServerIdentity.keyFileName) and \(directory.path)/\(CollectorServerIdentity.certificateFileName)"
            )
            print(
                "SANs: \((dnsNames + ipAddresses).joined(separator: ", ")); expires \(certificate.notValidAfter.formatted(.iso8601))"
            )
        }
    }

    struct RevocationList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "crl",
            abstract: "Write the CA's certificate revocation list (PEM) of revoked_certificates, for third-party peers."
        )

        /// Accepted CRL validities: 1 hour to 1 year.
        static let validityRange: ClosedRange<TimeInterval> = 3600...(365 * 86_400)

        @OptionGroup var directory: Directory
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Write the CRL to this file (replaced atomically) instead of standard output.")
        var out: String?
        @Option(
            help:
                "How long peers may use the CRL (nextUpdate): e.g. 24h, 7d (1 hour to 365 days). Publish a new one before."
        )
        var validity = "7d"

        func run() async throws {
            let seconds = try TimeToLive.parse(validity, option: "--validity", range: Self.validityRange)
            let authority = try CertificateAuthority.load(from: directory.path)
            let list = try await database.withConnection { connection, logger in
                try await RevocationListIssuer.issue(
                    authority: authority, validity: seconds, on: connection, logger: logger)
            }
            let summary = "CRL number \(list.number), next update \(list.nextUpdate.formatted(.iso8601))"
            if let out {
                try list.save(to: out)
                print("wrote \(out): \(summary)")
            } else {
                print(list.pemEncoded, terminator: "")
                FileHandleOutput.standardError(summary)
            }
        }
    }
}
