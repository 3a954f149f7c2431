import OutpostCore
import Testing

@Suite("Peer text in log lines")
struct LogSafeTextTests {
    @Test("control characters become escapes, so a value cannot end the line and forge another")
    func controlCharactersAreEscaped() {
        #expect(LogSafeText.escaped("1.0\nlevel=critical forged") == "1.0\\u{A}level=critical forged")
        #expect(
            LogSafeText.escaped("a\r\u{1B}[31mb\u{7F}\u{85}\u{2028}") == "a\\u{D}\\u{1B}[31mb\\u{7F}\\u{85}\\u{2028}")
        #expect(LogSafeText.escaped("Tbilisi — თბილისი") == "Tbilisi — თბილისი")
    }

    @Test("an overlong value is cut at the limit")
    func overlongValuesAreCut() {
        let escaped = LogSafeText.escaped(String(repeating: "x", count: 10_000))
        #expect(escaped == String(repeating: "x", count: LogSafeText.maximumLength) + "…")
    }
}
