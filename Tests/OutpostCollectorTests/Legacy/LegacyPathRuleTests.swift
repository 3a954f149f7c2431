import Testing

@testable import OutpostLegacy

/// Legacy rules may read `path_changed`: the alert engine measures it (from completed traces).
struct LegacyPathRuleTests {
    @Test("a legacy rule on path_changed imports enabled; a misspelt variable is still refused")
    func pathChangedIsMeasured() {
        let kept = LegacyRuleTranslator.translate("path_changed AND packet_loss > 5%", itemNames: [])
        #expect(kept.problem == nil)
        #expect(kept.expression == "path_changed AND packet_loss > 5%")
        let refused = LegacyRuleTranslator.translate("path_change", itemNames: [])
        #expect(refused.problem == "reads path_change, which Outpost does not measure")
    }
}
