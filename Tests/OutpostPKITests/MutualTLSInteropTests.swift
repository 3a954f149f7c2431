import Foundation
import OutpostPKI
import Testing
import X509

/// Real TLS 1.3 handshakes between `openssl s_server` and `openssl s_client` on loopback,
/// using only certificates and keys produced by this module: a TLS stack that is not ours
/// accepts them for mutual authentication.
@Suite struct MutualTLSInteropTests {
    @Test func openSSLCompletesMutualTLSWithOurCertificates() async throws {
        try await withTemporaryDirectory { directory in
            let files = try writeCollectorAndAgent(into: directory, agentCA: nil)
            let server = try OpenSSLServer(directory: directory)
            let client = try OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-brief",
                "-cert", files.agentCertificate, "-key", files.agentKey,
                "-CAfile", files.caCertificate, "-verify_return_error",
                "-verify_hostname", "collector.bank.example",
            ])
            let serverOutput = server.finish()
            #expect(client.status == 0, "\(client.stdout)\(client.stderr)")
            #expect(client.stderr.contains("Verification: OK"))
            #expect(client.stderr.contains("Protocol version: TLSv1.3"))
            #expect(serverOutput.contains("1 server accepts that finished"), "\(serverOutput)")
            #expect(serverOutput.contains("subject=O = Outpost, OU = Branch 042, CN = \(files.agentID)"))
        }
    }

    @Test func openSSLServerRefusesAgentOfAnotherCA() async throws {
        try await withTemporaryDirectory { directory in
            let files = try writeCollectorAndAgent(into: directory, agentCA: try CertificateAuthority.create())
            let server = try OpenSSLServer(directory: directory)
            // In TLS 1.3 the client's own handshake may complete before the server checks its
            // certificate, so the verdict is read on the server side.
            _ = try OpenSSL.run([
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-brief",
                "-cert", files.agentCertificate, "-key", files.agentKey,
                "-CAfile", files.caCertificate,
            ])
            let serverOutput = server.finish()
            #expect(serverOutput.contains("0 server accepts that finished"), "\(serverOutput)")
            #expect(serverOutput.contains("unable to get local issuer certificate") || serverOutput.contains("verify error"))
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
        let issued = try (agentCA ?? ca).issueAgentCertificate(csr: try agentKey.makeCertificateSigningRequest(), branch: "Branch 042")
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
private final class OpenSSLServer {
    let port: Int
    private let process = Process()
    private let stdin = Pipe()
    private let stdout = Pipe()
    private var output = Data()

    init(directory: String) throws {
        guard let executable = OpenSSL.locate() else { throw OpenSSL.Missing() }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
            "-cert", "\(directory)/server.crt", "-key", "\(directory)/server.key",
            "-cert_chain", "\(directory)/ca/ca.crt",
            "-CAfile", "\(directory)/ca/ca.crt", "-Verify", "1", "-verify_return_error",
        ]
        // s_server stops at end of stdin: keep it open until `finish()`.
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        // Wait for the "ACCEPT 127.0.0.1:<port>" line (event, not a sleep).
        var port: Int?
        while port == nil {
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output.append(chunk)
            let text = String(decoding: output, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT 127.0.0.1:") }) {
                port = Int(line.dropFirst("ACCEPT 127.0.0.1:".count))
            }
        }
        guard let port else {
            process.terminate()
            throw ServerDidNotStart(output: String(decoding: output, as: UTF8.self))
        }
        self.port = port
    }

    struct ServerDidNotStart: Error {
        let output: String
    }

    /// Closes stdin, waits for the server to exit and returns all it printed.
    func finish() -> String {
        try? stdin.fileHandleForWriting.close()
        output.append(stdout.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
