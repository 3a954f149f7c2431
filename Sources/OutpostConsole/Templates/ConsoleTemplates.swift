import Mustache

/// The console's Mustache templates, embedded from `Resources/templates/`, each registered by
/// its file name without `.mustache` (`layout`, `overview`, …). Pages extend `layout` with
/// Mustache template inheritance; values are HTML-escaped unless a template says otherwise.
public struct ConsoleTemplates: Sendable {
    /// The templates of this binary, parsed once.
    public static let embedded = ConsoleTemplates()

    private let library: MustacheLibrary

    private init() {
        var library = MustacheLibrary()
        let prefix = "templates/"
        let suffix = ".mustache"
        for (path, text) in EmbeddedResources.files where path.hasPrefix(prefix) && path.hasSuffix(suffix) {
            let name = String(path.dropFirst(prefix.count).dropLast(suffix.count))
            do {
                try library.register(text, named: name)
            } catch {
                // A template that does not parse is a mistake in this module, which every test
                // that renders a page reveals.
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    /// The HTML of `page` rendered with its template (flattened first: ``TemplateValues``).
    public func render<Page: ConsolePage>(_ page: Page) -> String {
        guard let html = library.render(TemplateValues.flatten(page) ?? [:], withTemplate: Page.template) else {
            preconditionFailure("no template \(Page.template)")
        }
        return html
    }
}
