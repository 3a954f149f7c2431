import Foundation
import Testing

@testable import OutpostCollector

@Suite("JSON answers of the operator port")
struct JSONResponseTests {
    @Test("identifiers are written in lower case; other text is left as it is")
    func lowercaseIdentifiers() {
        let id = UUID(uuidString: "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D")!
        var json = Array(
            #"{"id":"\#(id.uuidString)","name":"ABCDEF","ids":["\#(id.uuidString)"],"n":"0A1B2C3D-4E5F"}"#.utf8)
        JSONResponse.lowercaseUUIDs(in: &json)
        #expect(
            String(decoding: json, as: UTF8.self)
                == #"{"id":"0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d","name":"ABCDEF","ids":["0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"],"n":"0A1B2C3D-4E5F"}"#
        )
    }
}
