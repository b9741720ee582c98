import Foundation

/// The compiler's errors from a failed `swift build`, sorted by the chapter they belong to.
///
/// A student's code can break the build in three places, and each names its chapter:
/// - their own file, `.../Exercises/Chapter3/Exercises.swift:12:5: error: ...`;
/// - the chapter's tests, when their code changed an API the tests call,
///   `.../Tests/Chapter3Tests/ExerciseTests.swift:40:9: error: ...`;
/// - the link, where object paths name the module, `.../Chapter3Exercises.build/...`.
///
/// Errors that name no chapter are kept in ``unattributed``.
public struct CompilerErrors: Sendable, Equatable {
    /// Error lines by chapter, paths made relative to the sandbox, in the compiler's order.
    public private(set) var byChapter: [Int: [String]] = [:]
    public private(set) var unattributed: [String] = []

    /// Reads the output of `swift build`. `sandbox` is the package folder, cut from paths so
    /// that the student sees `Exercises/Chapter3/Exercises.swift:12:5`.
    public init(buildOutput: String, sandbox: String) {
        var seen: Set<String> = []
        let prefix = sandbox.hasSuffix("/") ? sandbox : sandbox + "/"
        for line in buildOutput.split(whereSeparator: \.isNewline).map(String.init) {
            guard Self.isError(line) else { continue }
            let shown = line.replacingOccurrences(of: prefix, with: "")
            guard seen.insert(shown).inserted else { continue }
            if let chapter = Self.chapter(of: line) {
                byChapter[chapter, default: []].append(shown)
            } else {
                unattributed.append(shown)
            }
        }
    }

    public var isEmpty: Bool { byChapter.isEmpty && unattributed.isEmpty }

    static func isError(_ line: String) -> Bool {
        line.contains(": error: ") || line.hasPrefix("error: ")
            || line.contains("undefined reference to") || line.contains("multiple definition of")
    }

    /// The chapter a line points at, from the first of `Exercises/ChapterN/`,
    /// `Tests/ChapterNTests/` or `ChapterNExercises.build` / `ChapterNTests.build` in it.
    static func chapter(of line: String) -> Int? {
        let patterns = ["Exercises/Chapter", "Tests/Chapter", "/Chapter"]
        for pattern in patterns {
            var rest = line[...]
            while let range = rest.range(of: pattern) {
                let digits = rest[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
                let after = rest[range.upperBound...].dropFirst(digits.count)
                let tail = pattern == "/Chapter" ? ["Exercises.build", "Tests.build"] : pattern == "Tests/Chapter" ? ["Tests/"] : ["/"]
                if let number = Int(digits), tail.contains(where: { after.hasPrefix($0) }) {
                    return number
                }
                rest = rest[range.upperBound...]
            }
        }
        return nil
    }
}
