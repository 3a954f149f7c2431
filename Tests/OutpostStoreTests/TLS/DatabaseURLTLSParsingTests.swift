import Foundation
import OutpostStore
import OutpostTestSupport
import Testing

/// `sslmode` and `sslrootcert` as the database URL parses them, without a server.
@Suite struct DatabaseURLTLSParsingTests {
    static func parseError(_ text: String) -> String? {
        #expect(throws: DatabaseURL.ParseError.self) { try DatabaseURL(text) }?.description
    }

    @Test("every sslmode is accepted; an unknown one is refused, listing the accepted ones")
    func modes() throws {
        #expect(try DatabaseURL("postgres://u@h/d").sslMode == .disable)
        for mode in DatabaseSSLMode.allCases {
            #expect(try DatabaseURL("postgres://u@h/d?sslmode=\(mode.rawValue)").sslMode == mode)
        }
        #expect(
            Self.parseError("postgres://u@h/d?sslmode=allow")
                == "database URL sslmode must be one of disable, prefer, require, verify-ca, verify-full (got allow)")
    }

    @Test("sslrootcert is read at parse time: a missing or non-PEM file, or one without TLS, is refused")
    func rootCertificate() async throws {
        try await withTemporaryDirectory("url-tls") { directory in
            let ca = try await OpenSSLTestCA(in: directory, name: "ca")

            let url = try DatabaseURL(
                "postgres://outpost:secret@db.example:5433/outpost?sslmode=verify-full&sslrootcert=\(ca.certificate)")
            #expect(url.sslRootCertificatePath == ca.certificate)
            #expect(
                url.description
                    == "postgres://outpost:***@db.example:5433/outpost?sslmode=verify-full&sslrootcert=\(ca.certificate)"
            )
            let other = try url.with(database: "other")
            #expect(
                other.sslMode == .verifyFull && other.sslRootCertificatePath == ca.certificate
                    && other.password == "secret"
            )

            #expect(
                Self.parseError("postgres://u@h/d?sslmode=verify-full&sslrootcert=\(directory)/missing.crt")
                    == "database URL sslrootcert \(directory)/missing.crt: cannot read the file")
            try "not a certificate\n".write(toFile: "\(directory)/junk.crt", atomically: false, encoding: .utf8)
            #expect(
                Self.parseError("postgres://u@h/d?sslmode=verify-ca&sslrootcert=\(directory)/junk.crt")
                    == "database URL sslrootcert \(directory)/junk.crt: not a PEM file of CA certificates")
            #expect(
                Self.parseError("postgres://u@h/d?sslrootcert=\(ca.certificate)")
                    == "database URL sslrootcert needs TLS: add sslmode=verify-full (got sslmode=disable)")
        }
    }
}
