import OutpostConsole
import Testing

@Suite("Console static files: the Georgian font, the map's script and outline, the licences")
struct ConsoleAssetTests {
    @Test("the Georgian font is embedded as WOFF2 and served as font/woff2")
    func font() throws {
        let font = try #require(ConsoleAssets.asset("NotoSansGeorgian.woff2"))
        #expect(font.contentType == "font/woff2")
        #expect(Array(font.bytes.prefix(4)) == Array("wOF2".utf8))
        #expect(font.bytes.count > 5_000 && font.bytes.count < 60_000, "a subset: \(font.bytes.count) bytes")
    }

    @Test("the map's files are small and name their licences")
    func mapFiles() throws {
        let outline = try #require(ConsoleAssets.asset("georgia.json"))
        #expect(outline.contentType == "application/json")
        #expect(outline.bytes.count < 40_000)
        let licences = String(decoding: try #require(ConsoleAssets.asset("LICENSES.txt")).bytes, as: UTF8.self)
        #expect(licences.contains("SIL Open Font License, Version 1.1"))
        #expect(licences.contains("DCW-GMT"))
        #expect(licences.contains("GNU LESSER GENERAL PUBLIC LICENSE"))
        let script = String(decoding: try #require(ConsoleAssets.asset("map.js")).bytes, as: UTF8.self)
        #expect(!script.contains("http://") && !script.contains("https://"), "map.js loads nothing from elsewhere")
    }
}
