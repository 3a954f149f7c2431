import X509

extension Certificate.SerialNumber {
    /// Lower-case hex of the serial's big-endian bytes: the form stored in the `agents` and
    /// `revoked_certificates` tables and printed (upper-case) by `openssl x509 -serial`.
    public var hexString: String { HexEncoding.encode(bytes) }

    /// Parses hex digits (either case, optional colons); `nil` if empty, not hex, or longer
    /// than 20 bytes once leading zeros are dropped.
    public init?(hexString: String) {
        var digits = hexString.filter { $0 != ":" }
        if digits.count % 2 == 1 { digits = "0" + digits }
        guard let bytes = HexEncoding.decode(digits), !bytes.isEmpty,
            bytes.drop(while: { $0 == 0 }).count <= 20
        else { return nil }
        self.init(bytes: bytes)
    }

    /// A random positive serial of exactly 20 bytes (RFC 5280 §4.1.2.2: at most 20 octets, so
    /// the top bit is cleared instead of prefixing a zero byte), 159 bits from the system CSPRNG.
    static func randomPositive() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }
}
