import OutpostPKI
import OutpostWire

/// An enrolment request as received: the token's secret and the agent's CSR.
///
/// Layout (`docs/protocol.md`, "Enrolment"): the 4 bytes `OPE1`, the token's 32-byte secret,
/// then one protocol frame of type RenewRequest carrying the CSR; at most
/// ``maximumSize`` bytes in all.
struct EnrolmentRequest: Sendable {
    /// The preamble identifying an enrolment request.
    static let magic: [UInt8] = Array("OPE1".utf8)
    /// Largest request accepted, decided before the payload is buffered.
    static let maximumSize = 64 * 1024
    private static let preambleSize = magic.count + EnrolmentToken.secretLength

    /// The token's secret. Never logged.
    let secret: [UInt8]
    /// The certificate signing request, DER (at most ``PKIDefaults/maximumCSRSize`` bytes).
    let csr: [UInt8]

    /// Parses the bytes received so far.
    ///
    /// - Returns: The request, or `nil` when `bytes` is a valid beginning of one.
    /// - Throws: ``EnrolmentFailure`` as soon as `bytes` cannot start a valid request.
    static func parse(_ bytes: [UInt8]) throws(EnrolmentFailure) -> EnrolmentRequest? {
        guard bytes.prefix(magic.count).elementsEqual(magic.prefix(min(bytes.count, magic.count))) else {
            throw .protocolViolation("not an Outpost enrolment request")
        }
        guard bytes.count >= preambleSize else { return nil }
        let decoder = FrameDecoder(maximumPayloadSize: maximumSize - preambleSize - Frame.headerSize)
        let framed = bytes[preambleSize...]
        let decoded: (frame: Frame, consumed: Int)?
        do {
            decoded = try decoder.decodeFrame(in: framed)
        } catch .frameTooLarge {
            throw .protocolViolation("enrolment request exceeds \(maximumSize) bytes")
        } catch {
            throw .protocolViolation("invalid enrolment request frame: \(error)")
        }
        guard let (frame, consumed) = decoded else { return nil }
        guard consumed == framed.count else { throw .protocolViolation("bytes after the enrolment request") }
        guard case .renewRequest(let request) = try? Message(frame: frame) else {
            throw .protocolViolation("expected a RenewRequest frame carrying the CSR")
        }
        guard request.csrDER.count <= PKIDefaults.maximumCSRSize else {
            throw .csrTooLarge(request.csrDER.count, limit: PKIDefaults.maximumCSRSize)
        }
        return EnrolmentRequest(secret: Array(bytes[magic.count..<preambleSize]), csr: request.csrDER)
    }
}
