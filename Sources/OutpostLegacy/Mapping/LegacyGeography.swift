import Foundation

/// The legacy's region names (Zabbix host groups such as `Achara`, `Samegrelo`) and town
/// spellings, matched to `georgian_regions` and `georgian_cities` (docs/legacy-import.md).
enum LegacyGeography {
    /// Zabbix group names that are not Outpost's region names, lower-cased.
    static let regionAliases: [String: String] = [
        "achara": "Adjara", "ajara": "Adjara", "adjara": "Adjara", "samegrelo": "Samegrelo-Zemo Svaneti",
        "samegrelo-zemo svaneti": "Samegrelo-Zemo Svaneti", "racha": "Racha-Lechkhumi and Kvemo Svaneti",
        "racha-lechkhumi": "Racha-Lechkhumi and Kvemo Svaneti", "mtskheta": "Mtskheta-Mtianeti",
        "mtskheta-mtianeti": "Mtskheta-Mtianeti", "samtskhe": "Samtskhe-Javakheti", "javakheti": "Samtskhe-Javakheti",
        "samtskhe-javakheti": "Samtskhe-Javakheti",
    ]

    /// Legacy spellings of towns, lower-cased, to `georgian_cities.name_en`.
    static let townAliases: [String: String] = [
        "zestafoni": "Zestaponi", "qeda": "Keda", "kareli": "Kareli", "tskaltubo": "Tskaltubo",
        "tsqaltubo": "Tskaltubo", "ozurgeti": "Ozurgeti", "chiatura": "Chiatura", "kobuleti": "Kobuleti",
        "khashuri": "Khashuri", "qutaisi": "Kutaisi", "telavi": "Telavi", "gurjaani": "Gurjaani",
    ]

    /// Outpost's region for a legacy region name, or `nil` when none matches.
    static func region(_ legacy: String, known: [String: String]) -> String? {
        let key = legacy.trimmingCharacters(in: .whitespaces).lowercased()
        if let name = known[key] { return name }
        if let alias = regionAliases[key], known[alias.lowercased()] != nil { return alias }
        return nil
    }

    /// The town a branch name begins with (`Batumi 2` → Batumi), the longest match first.
    static func city(forBranch name: String, in cities: [LegacyCity]) -> LegacyCity? {
        let words = name.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        guard !words.isEmpty else { return nil }
        for length in stride(from: min(3, words.count), through: 1, by: -1) {
            let candidate = words.prefix(length).joined(separator: " ")
            let target = townAliases[candidate]?.lowercased() ?? candidate
            if let city = cities.first(where: { $0.name.lowercased() == target }) { return city }
        }
        return nil
    }
}
