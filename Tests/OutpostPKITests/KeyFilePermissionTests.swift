import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing

/// Private key files that their group or other users may access are refused at load, with a
/// message naming the file and the fix.
@Suite struct KeyFilePermissionTests {
    /// Modes a private key file must not have: any bit for group or others.
    static let looseModes: [Int] = [0o640, 0o604, 0o644, 0o660, 0o610]

    @Test("ca.key: refused when group or others have any access, loaded at 0600 and 0400")
    func caKey() async throws {
        try await withTemporaryDirectory { directory in
            let authority = try CertificateAuthority.create()
            try authority.save(to: directory, force: true)
            let keyPath = "\(directory)/\(CertificateAuthority.keyFileName)"
            try expectRefusedWhenLoose(keyPath) { _ = try CertificateAuthority.load(from: directory) }
            for mode in [0o600, 0o400] {
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: keyPath)
                #expect(try CertificateAuthority.load(from: directory).certificate == authority.certificate)
            }
        }
    }

    @Test("agent.key: the agent refuses its credentials while the key is open to group or others")
    func agentKey() async throws {
        try await withTemporaryDirectory { root in
            let state = AgentStateDirectory(path: "\(root)/state")
            let authority = try CertificateAuthority.create()
            let key = try state.createKey()
            let issued = try authority.issueAgentCertificate(csr: try key.makeCertificateSigningRequest(), branch: "b")
            try state.storeEnrolment(certificate: issued.certificate, caCertificate: authority.certificate)
            try expectRefusedWhenLoose(state.keyPath) { _ = try state.loadCredentials() }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: state.keyPath)
            #expect(try state.loadCredentials().privateKey.publicKey == key.publicKey)
        }
    }
}

/// Sets each of ``KeyFilePermissionTests/looseModes`` on `path` and expects `load` to fail with
/// ``PKIFileError/Kind/tooPermissive(mode:)`` for `path`, saying how to fix it.
func expectRefusedWhenLoose(
    _ path: String, sourceLocation: SourceLocation = #_sourceLocation, _ load: () throws -> Void
) throws {
    for mode in KeyFilePermissionTests.looseModes {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        let error = #expect(throws: PKIFileError.self, sourceLocation: sourceLocation) { try load() }
        #expect(
            error == PKIFileError(path: path, kind: .tooPermissive(mode: mode_t(mode))), sourceLocation: sourceLocation)
        #expect(error?.description.contains("chmod 600 \(path)") == true, sourceLocation: sourceLocation)
    }
}
