import Foundation
import OutpostPKI
import OutpostTestSupport
import Testing
import X509

/// Real TLS 1.3 handshakes between `openssl s_server` and `openssl s_client` on loopback,
/// using only certificates and keys produced by this module: a TLS stack that is not ours
/// accepts them for mutual authentication.
@Suite struct MutualTLSInteropTests {
    @Test func openSSLCompletesMutualTLSWithOurCertificates() async throws {
        try await withTemporaryDirectory { directory in
            let files = try writeCollectorAndAgent(into: directory, agentCA: nil)
            let server = try await OpenSSLServer(directory: directory)
            let client = try await OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-brief",
                "-cert", files.agentCertificate, "-key", files.agentKey,
                "-CAfile", files.caCertificate, "-verify_return_error",
                "-verify_hostname", "collector.bank.example",
            ])
            let serverOutput = await server.finish()
            #expect(client.status == 0, "\(client.standardOutput)\(client.standardError)")
            #expect(client.standardError.contains("Verification: OK"))
            #expect(client.standardError.contains("Protocol version: TLSv1.3"))
            #expect(serverOutput.contains("1 server accepts that finished"), "\(serverOutput)")
            #expect(serverOutput.contains("subject=O = Outpost, OU = Branch 042, CN = \(files.agentID)"))
        }
    }

    @Test func openSSLServerRefusesAgentOfAnotherCA() async throws {
        try await withTemporaryDirectory { directory in
            let files = try writeCollectorAndAgent(into: directory, agentCA: try CertificateAuthority.create())
            let server = try await OpenSSLServer(directory: directory)
            // In TLS 1.3 the client's own handshake may complete before the server checks its
            // certificate, so the verdict is read on the server side.
            _ = try await OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-brief",
                "-cert", files.agentCertificate, "-key", files.agentKey,
                "-CAfile", files.caCertificate,
            ])
            let serverOutput = await server.finish()
            #expect(serverOutput.contains("0 server accepts that finished"), "\(serverOutput)")
            #expect(
                serverOutput.contains("unable to get local issuer certificate") || serverOutput.contains("verify error")
            )
        }
    }

    private struct Files {
        let caCertificate: String
        let agentCertificate: String
        let agentKey: String
        let agentID: String
    }

    /// Writes ca.crt, server.crt/key (from our CA) and agent.crt/key (from `agentCA`, or ours).
    private func writeCollectorAndAgent(into directory: String, agentCA: CertificateAuthority?) throws -> Files {
        let ca = try CertificateAuthority.create()
        try ca.save(to: "\(directory)/ca")
        let serverKey = P256Key.generate()
        try serverKey.save(to: "\(directory)/server.key")
        let server = try ca.issueServerCertificate(
            publicKey: serverKey.publicKey,
            dnsNames: ["collector.bank.example"],
            ipAddresses: ["127.0.0.1"]
        )
        try CertificateFile.save(server, to: "\(directory)/server.crt", replace: false)

        let state = AgentStateDirectory(path: "\(directory)/agent")
        let agentKey = try state.createKey()
        let issued = try (agentCA ?? ca).issueAgentCertificate(
            csr: try agentKey.makeCertificateSigningRequest(), branch: "Branch 042")
        try CertificateFile.save(issued.certificate, to: state.certificatePath, replace: false)
        return Files(
            caCertificate: "\(directory)/ca/ca.crt",
            agentCertificate: state.certificatePath,
            agentKey: state.keyPath,
            agentID: issued.agentID.description
        )
    }
}

/// `openssl s_server` requiring a client certificate, accepting one connection on an
/// ephemeral loopback port.
private struct OpenSSLServer {
    let port: Int
    private let process: ChildProcess

    init(directory: String) async throws {
        process = ChildProcess(
            try OpenSSL.path,
            [
                "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", "\(directory)/server.crt", "-key", "\(directory)/server.key",
                "-cert_chain", "\(directory)/ca/ca.crt",
                "-CAfile", "\(directory)/ca/ca.crt", "-Verify", "1", "-verify_return_error",
            ])
        // The "ACCEPT 127.0.0.1:<port>" line (an event, not a sleep); s_server stops at the end
        // of its standard input, which stays open until `finish()`.
        let marker = "ACCEPT 127.0.0.1:"
        guard await process.waitForOutput(containing: marker),
            let line = process.output.split(separator: "\n").first(where: { $0.hasPrefix(marker) }),
            let port = Int(line.dropFirst(marker.count))
        else {
            await process.stop()
            throw ServerDidNotStart(output: process.output)
        }
        self.port = port
    }

    struct ServerDidNotStart: Error {
        let output: String
    }

    /// Closes stdin, waits for the server to exit and returns all it printed.
    func finish() async -> String {
        process.closeInput()
        _ = await process.ended()
        return process.output
    }
}
