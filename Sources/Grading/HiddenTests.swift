import ExerciseSupport
import Foundation

/// The instructor's hidden tests (`book grade --extra-tests FOLDER`): Swift Testing files in
/// `FOLDER/ChapterN/`, written as the book's exercise tests are, which join chapter N's test
/// target in the sandbox (`Tests/ChapterNTests/InstructorTests/`).
///
/// A hidden test belongs to exercise N.M by its name, `exerciseN_M_something` (or
/// `exerciseN_M` in a suite of its own), and runs the check in a child process with the same
/// helpers:
///
/// ```swift
/// import Chapter1Exercises
/// import ExerciseTesting
/// import ScalarAutodiff
/// import Testing
///
/// @Suite struct HiddenChapter1Tests {
///     @Test func exercise1_1_negativeZero() async {
///         reportExercise("1.1", await #expect(processExitsWith: .success, observing: childOutput) {
///             try runExercise("1.1") { c in
///                 let node = try product(Value(-2), Value(0))
///                 c.expectClose(node.lhsDerivative, 0, "∂(a·b)/∂a at a = −2, b = 0")
///             }
///         })
///     }
/// }
/// ```
///
/// The exercise scores only when all of its tests pass, the book's and the hidden ones.
public enum HiddenTests {
    /// Checks the folder before anything is built: it must hold `ChapterN/*.swift` for graded
    /// chapters, and every test function named `exercise…` must name an exercise of its chapter.
    public static func check(_ folder: URL, chapters: [Int], catalogue: [Exercise]) throws {
        guard SubmissionFiles.isFolder(folder) else {
            throw GradingError("--extra-tests: \(folder.path) is not a folder (expected FOLDER/ChapterN/*.swift)")
        }
        var found = 0
        for item in SubmissionFiles.walk(folder, depth: 1) where item.type == .typeDirectory {
            guard item.relative.hasPrefix("Chapter"), let chapter = Int(item.relative.dropFirst(7)) else {
                throw GradingError("--extra-tests: \(item.relative) is not a chapter folder (expected Chapter1 … Chapter9)")
            }
            let numbers = Set(catalogue.filter { $0.chapter == chapter }.map(\.testFunctionName))
            for file in SubmissionFiles.walk(item.url, depth: 8) where file.type == .typeRegular && file.relative.hasSuffix(".swift") {
                let text = try String(contentsOf: file.url, encoding: .utf8)
                for name in testNames(in: text) {
                    guard let owner = numbers.first(where: { name == $0 || name.hasPrefix($0 + "_") }) else {
                        throw GradingError("--extra-tests: \(item.relative)/\(file.relative) declares \(name), which names no exercise of chapter \(chapter): "
                            + "call hidden tests exerciseN_M_something, as in exercise\(chapter)_1_edgeCases")
                    }
                    _ = owner
                    if chapters.contains(chapter) { found += 1 }
                }
            }
        }
        guard found > 0 else {
            throw GradingError("--extra-tests: no test named exerciseN_M… for the chapters graded (\(chapters.map(String.init).joined(separator: ", "))) in \(folder.path)")
        }
    }

    /// The names of the functions declared `func exercise…` in a file.
    static func testNames(in source: String) -> [String] {
        let tokens = swiftTokens(source)
        return tokens.indices.dropLast().compactMap { index in
            tokens[index].text == "func" && tokens[index + 1].text.hasPrefix("exercise") ? tokens[index + 1].text : nil
        }
    }

    /// The compiler's errors for a student, with those inside the hidden tests told without
    /// their text (which would show the test's code), unless `show`.
    static func compilerErrors(_ lines: [String], show: Bool) -> [String] {
        guard !show else { return lines }
        var shown: [String] = []
        for line in lines {
            if line.contains("/\(Sandbox.hiddenTestsFolder)/") {
                let note = "A hidden test of this chapter does not compile against these files (did an exercise's signature change?)."
                if !shown.contains(note) { shown.append(note) }
            } else {
                shown.append(line)
            }
        }
        return shown
    }
}
