import Foundation
import NIOCore
import NIOPosix
import OutpostCore
import OutpostPKI
import OutpostTransport
import OutpostWire
import Synchronization
import X509

/// One enrolment request over TLS (`docs/protocol.md`, "Enrolment"): the collector is trusted
/// only if its chain matches the token's CA fingerprint (``OutpostPKI/CAPinning`` in NIOSSL's
/// custom verification callback); nothing is sent to any other server.
enum EnrolmentExchange {
    /// Largest answer accepted.
    static let maximumResponseSize = 64 * 1024

    /// What the collector answered, with the CA certificate pinned during the handshake.
    struct Response: Sendable {
        /// The issued certificate, DER, as received.
        let certificateDER: [UInt8]
        /// The CA certificate whose fingerprint matched the token.
        let caCertificate: Certificate
    }

    /// Sends `secret` and `csr` to `address` and returns the issued certificate.
    ///
    /// - Throws: ``AgentEnrolmentError``, ``EnrolmentRejection``, or a connection error.
    static func perform(
        secret: [UInt8],
        csr: [UInt8],
        to address: CollectorAddress,
        pinnedCA: CertificateFingerprint,
        timeout: Duration = .seconds(30),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Response {
        let pin = PinOutcome()
        let tls = try EnrolmentClientTLS()
        // SNI only for host names; IP literals are not sent (RFC 6066 §3).
        let serverName = IPAddressText.isValid(address.host) ? nil : address.host
        let deadline = TimeAmount.nanoseconds(
            timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(10))
            .connect(host: address.host, port: address.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let cutOff = channel.eventLoop.scheduleTask(in: deadline) { channel.close(promise: nil) }
                    channel.closeFuture.whenComplete { _ in cutOff.cancel() }
                    let handler = try tls.makeHandler(
                        serverHostname: serverName, check: Self.pinning(pinnedCA, outcome: pin))
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let answer: Message
        do {
            answer = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: try request(secret: secret, csr: csr)))
                return try await readAnswer(inbound)
            }
        } catch {
            if case .failure(let pinning) = pin.result { throw AgentEnrolmentError.collectorNotTrusted(pinning) }
            throw error
        }
        guard case .success(let caCertificate) = pin.result else {
            throw AgentEnrolmentError.invalidResponse("the TLS handshake did not verify the collector")
        }
        switch answer {
        case .renewResponse(let response):
            return Response(certificateDER: response.certificateChainDER[0], caCertificate: caCertificate)
        case .error(let error):
            throw EnrolmentRejection(error)
        default:
            throw AgentEnrolmentError.invalidResponse("unexpected message")
        }
    }

    /// The request bytes: `OPE1`, the secret, a RenewRequest frame carrying the CSR.
    static func request(secret: [UInt8], csr: [UInt8]) throws -> [UInt8] {
        Array("OPE1".utf8) + secret + (try Message.renewRequest(RenewRequest(csrDER: csr)).frame().encoded())
    }

    private static func readAnswer(_ inbound: NIOAsyncChannelInboundStream<ByteBuffer>) async throws -> Message {
        let decoder = FrameDecoder(maximumPayloadSize: maximumResponseSize)
        var received: [UInt8] = []
        for try await chunk in inbound {
            received.append(contentsOf: chunk.readableBytesView)
            let decoded: (frame: Frame, consumed: Int)?
            do {
                decoded = try decoder.decodeFrame(in: received)
            } catch {
                throw AgentEnrolmentError.invalidResponse("\(error)")
            }
            if let (frame, _) = decoded {
                do {
                    return try Message(frame: frame)
                } catch {
                    throw AgentEnrolmentError.invalidResponse("\(error)")
                }
            }
        }
        throw AgentEnrolmentError.connectionClosed
    }

    /// The check of the collector's chain: it must lead to the pinned CA; the verdict goes to `outcome`.
    private static func pinning(_ pinnedCA: CertificateFingerprint, outcome: PinOutcome) -> PeerChainCheck {
        PeerChainCheck(
            unparsable: {
                outcome.record(
                    .failure(.serverCertificateNotIssuedByPinnedCA("a certificate from the collector cannot be parsed"))
                )
            },
            verify: { chain in
                let result = await CAPinning.verifyServerChain(chain, pinnedCA: pinnedCA)
                outcome.record(result)
                if case .success = result { return true }
                return false
            })
    }
}

/// The pinning verdict of the handshake, read after the exchange.
private final class PinOutcome: Sendable {
    private let state = Mutex<Result<Certificate, CAPinningError>?>(nil)

    func record(_ result: Result<Certificate, CAPinningError>) {
        state.withLock { $0 = result }
    }

    var result: Result<Certificate, CAPinningError>? {
        state.withLock { $0 }
    }
}
