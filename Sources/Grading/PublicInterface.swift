import Foundation

/// The public and open declarations of a built exercise module, as the compiler sees them: the
/// symbol graph `swift-symbolgraph-extract` reads from the module the build produced, so a
/// declaration counts however it was spelled (a macro, an extension of `Array`, an operator).
///
/// A chapter's tests import its exercise module, so anything public there takes part in the
/// tests' overload resolution: `public func abs(_ x: Double) -> Double { 0 }` or
/// `public func == (lhs: [Float], rhs: [Float]) -> Bool { true }` would make every comparison in
/// the checks pass. So the grader compares a student's interface with the stubs' and scores a
/// chapter whose interface differs 0, naming the difference.
///
/// ```swift
/// let stub = try PublicInterface.extract(module: "Chapter9Exercises", scratch: build, into: folder, timeout: 120)
/// let extra = try PublicInterface.extract(...).declarations(notIn: stub)   // [] for honest work
/// ```
public struct PublicInterface: Equatable, Sendable {
    /// Each symbol by its precise identifier (the compiler's mangled name, which holds the
    /// argument labels and types), with its declaration in words for feedback.
    public let symbols: [String: String]
    /// Relationships such as a conformance added to another module's type
    /// (`conformsTo s:Sa s:SQ`), each with its words.
    public let relationships: [String: String]

    public init(symbols: [String: String], relationships: [String: String]) {
        self.symbols = symbols
        self.relationships = relationships
    }

    /// What this interface declares that `reference` does not, as declarations in words, sorted.
    public func declarations(notIn reference: PublicInterface) -> [String] {
        let extra = self.symbols.filter { reference.symbols[$0.key] == nil }
        // A new symbol's own relationships (`memberOf Array`) say nothing more.
        let relationships = self.relationships.filter { key, _ in
            reference.relationships[key] == nil && extra[String(key.split(separator: " ").dropFirst().first ?? "")] == nil
        }
        return (extra.map(\.value) + relationships.map(\.value)).sorted()
    }

    /// Runs `swift-symbolgraph-extract` on a module of the build folder, writing the graph into
    /// `folder` (emptied first), and reads it. Public and open symbols only, SPI included.
    public static func extract(module: String, scratch: URL, into folder: URL, environment: [String: String],
                               timeout: Double) throws -> PublicInterface {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let modules = scratch.appendingPathComponent("debug/Modules")
        var arguments = ["swift-symbolgraph-extract", "-module-name", module, "-I", modules.path,
                         "-minimum-access-level", "public", "-include-spi-symbols", "-skip-inherited-docs",
                         "-output-dir", folder.path]
        if let target = hostTarget(scratch: scratch) { arguments += ["-target", target] }
        let result = try ChildProcess.run(arguments, in: scratch, environment: environment, timeout: timeout, captureLimit: 64 * 1024)
        guard result.succeeded else {
            throw GradingError("swift-symbolgraph-extract could not read the module \(module): \(result.output.suffix(1_000))")
        }
        return try PublicInterface(symbolGraphs: folder)
    }

    /// The target triple the build folder was built for (`x86_64-unknown-linux-gnu`): the name of
    /// the folder `debug` links to.
    static func hostTarget(scratch: URL) -> String? {
        let debug = scratch.appendingPathComponent("debug")
        guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: debug.path) else { return nil }
        let triple = link.split(separator: "/").dropLast().last.map(String.init)
        return triple?.contains("-") == true ? triple : nil
    }

    /// Reads every `*.symbols.json` of a folder: the module's own, and one for each other module
    /// whose types it extends (`Chapter9Exercises@Swift.symbols.json`).
    public init(symbolGraphs folder: URL) throws {
        var symbols: [String: String] = [:]
        var relationships: [String: String] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".symbols.json") }
        guard !names.isEmpty else { throw GradingError("no symbol graph in \(folder.path)") }
        for name in names.sorted() {
            let graph = try JSONDecoder().decode(SymbolGraph.self, from: Data(contentsOf: folder.appendingPathComponent(name)))
            var titles: [String: String] = [:]
            for symbol in graph.symbols {
                let declaration = symbol.declarationFragments?.map(\.spelling).joined() ?? symbol.names.title
                let path = symbol.pathComponents.dropLast().joined(separator: ".")
                titles[symbol.identifier.precise] = symbol.pathComponents.joined(separator: ".")
                symbols[symbol.identifier.precise] = (path.isEmpty ? "" : "in \(path): ") + declaration
            }
            for relation in graph.relationships {
                let source = titles[relation.source] ?? relation.source
                let target = relation.targetFallback ?? titles[relation.target] ?? relation.target
                relationships["\(relation.kind) \(relation.source) \(relation.target)"] = "\(source) \(relation.kind) \(target)"
            }
        }
        self.init(symbols: symbols, relationships: relationships)
    }

    /// The parts of Swift's symbol graph format read here.
    struct SymbolGraph: Decodable {
        struct Symbol: Decodable {
            struct Identifier: Decodable { let precise: String }
            struct Names: Decodable { let title: String }
            struct Fragment: Decodable { let spelling: String }
            let identifier: Identifier
            let names: Names
            let pathComponents: [String]
            let declarationFragments: [Fragment]?
        }
        struct Relationship: Decodable {
            let kind: String
            let source: String
            let target: String
            let targetFallback: String?
        }
        let symbols: [Symbol]
        let relationships: [Relationship]
    }
}

/// The grader's words for a chapter whose public interface differs from its stubs', and for
/// tests that changed the sandbox.
enum InterfaceCheck {
    /// What `submitted` declares beyond `stub`, then what of `stub` it lacks or changed (a
    /// changed signature is both), in words; empty when they are the same.
    static func differences(_ submitted: PublicInterface, _ stub: PublicInterface) -> [String] {
        submitted.declarations(notIn: stub).map { "`\($0)`" }
            + stub.declarations(notIn: submitted).map { "`\($0)` is missing or was changed" }
    }

    static func message(chapter: Int, extra: [String]) -> String {
        let listed = extra.prefix(10).joined(separator: "; ") + (extra.count > 10 ? "; and \(extra.count - 10) more" : "")
        return "Chapter \(chapter) scores 0: its exercise module's public interface is not the book's. The chapter's tests "
            + "import the module, so every public declaration there takes part in them (an `abs` or `==` of your own would "
            + "replace the one the checks use). Keep helpers `internal` or `private`, and keep each exercise's signature as "
            + "the stub has it. Not in the book's interface: \(listed)."
    }

    static func tamperingMessage(changed: [String]) -> String {
        // Files first: a folder's own change is mostly the files changed in it.
        let isFolderOfAnother = { (path: String) in changed.contains { $0.hasPrefix(path + "/") } }
        let changed = changed.filter { !isFolderOfAnother($0) } + changed.filter(isFolderOfAnother)
        let listed = changed.prefix(10).joined(separator: ", ") + (changed.count > 10 ? " and \(changed.count - 10) more" : "")
        return "This grade is void (0 points): while the submission's tests ran, they changed the grader's sandbox, which "
            + "tests may only read: \(listed). The sandbox was repaired before the next submission."
    }
}
