import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// `book progress` and `book watch` on a real build of the whole book: a copy of the reference
/// solutions in which one chapter 8 exercise traps and one chapter 5 exercise loops for ever.
///
/// The book is copied (Package.swift, Sources, Tests, Mutants) into `.build-progress-e2e/book`,
/// which git ignores, so that edits made while the test builds cannot reach it, and the broken
/// solutions go into its `Broken/` folder, which BOOK_EXERCISES names (SwiftPM takes exercise
/// folders by a path inside the package). The first run builds the whole book there (several
/// minutes); later runs rebuild what changed.
/// Run with `BOOK_GRADING_E2E=1 swift test --filter GradingEndToEndProgress`.
@Suite("Grading end to end: book progress and book watch survive a crash and a hang",
       .enabled(if: endToEndEnabled, "set BOOK_GRADING_E2E=1 to build the book with a trap and a hang"))
struct GradingEndToEndProgressTests {
    static let folder = ".build-progress-e2e"
    static let trapped = "8.4"
    static let hanging = "5.2"

    /// The book's copy, with Solutions in `Broken/` with a trap at the start of `beamStep` and
    /// an endless loop at the start of `recurrentParameterCounts`.
    static func makeCopy() throws -> BuiltBook {
        let root = bookPackage.appendingPathComponent(folder)
        let copy = root.appendingPathComponent("book")
        for item in ["Package.swift", "Sources", "Tests", "Mutants"] {
            try BookCopy.mirror(bookPackage.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        for chapter in Catalogue.chapters {
            let source = bookPackage.appendingPathComponent("Solutions/Chapter\(chapter)")
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".swift") {
                var text = try String(contentsOf: source.appendingPathComponent(name), encoding: .utf8)
                text = try Self.breaking(text, "public func beamStep(", with: "let tiny = [1]; _ = tiny[5]", in: chapter == 8)
                text = try Self.breaking(text, "public func recurrentParameterCounts(",
                                         with: "var spin = 0; while spin >= 0 { spin = (spin + 1) % 7 }", in: chapter == 5)
                try BookCopy.writeIfChanged(Data(text.utf8), to: copy.appendingPathComponent("Broken/Chapter\(chapter)/\(name)"))
            }
            // The default exercise folder must exist too, for Package.swift's sake.
            try BookCopy.mirror(bookPackage.appendingPathComponent("Exercises/Chapter\(chapter)"), to: copy.appendingPathComponent("Exercises/Chapter\(chapter)"))
        }
        var environment = BuiltBook.defaultEnvironment()
        environment["BOOK_EXERCISES"] = "Broken"
        environment.removeValue(forKey: "BOOK_EXERCISE_TIMEOUT")
        return BuiltBook(package: copy, scratch: copy.appendingPathComponent(".build"), environment: environment)
    }

    /// The text with `code` put at the start of the body of the function whose declaration
    /// starts with `signature`, when `apply`.
    static func breaking(_ text: String, _ signature: String, with code: String, in apply: Bool) throws -> String {
        guard apply, let start = text.range(of: signature) else { return text }
        guard let brace = text[start.upperBound...].firstIndex(of: "{") else { throw GradingError("no body after \(signature)") }
        return String(text[...brace]) + "\n    " + code + "\n" + String(text[text.index(after: brace)...])
    }

    @Test("A trap in 8.4 and a hang in 5.2 cost only those two exercises; Ctrl-C ends book watch and all it started",
          .timeLimit(.minutes(40)))
    func crashAndHang() throws {
        let book = try Self.makeCopy()
        let build = try book.build(timeout: 3_000)
        try #require(build.succeeded, "the copy must build: \(build.output.suffix(3_000))")
        let full = Catalogue.all.map(\.points).reduce(0, +)
        let lost = Catalogue.exercise(Self.trapped)!.points + Catalogue.exercise(Self.hanging)!.points

        // The machinery itself, chapter by chapter, with a 20 s limit on each test process.
        let tests = ChapterTests(book: book, timeout: 20)
        var results: [ExerciseResult] = []
        for chapter in Catalogue.chapters { results += try tests.run(Catalogue.exercises(inChapter: chapter)) }
        let abnormal = results.filter { $0.status != .passed }
        #expect(abnormal.map(\.exercise.number) == [Self.hanging, Self.trapped],
                "exactly the two broken exercises, got: \(abnormal.map { "\($0.exercise.number) \($0.status.rawValue): \($0.messages)" })")
        let crash = results.first { $0.exercise.number == Self.trapped }
        let hang = results.first { $0.exercise.number == Self.hanging }
        #expect(crash?.status == .crashed)
        #expect(crash?.messages.first?.hasPrefix("8.4 crashed: Index out of range") == true, "\(crash?.messages ?? [])")
        #expect(hang?.status == .timedOut)
        #expect(hang?.messages.first?.hasPrefix("5.2 timed out: ") == true, "\(hang?.messages ?? [])")
        #expect(results.map(\.points).reduce(0, +) == full - lost)

        // The command a student types: `book --timeout 20`, built in the copy's build folder.
        let tool = book.scratch.appendingPathComponent("debug/book").path
        let progress = try ChildProcess.run([tool, "--timeout", "20"], in: book.package, environment: book.environment, timeout: 900)
        #expect(progress.succeeded, "\(progress.output)")
        #expect(progress.output.contains("\n  8.4 crashed: Index out of range"), "\(progress.output)")
        #expect(progress.output.contains("\n  5.2 timed out: "), "\(progress.output)")
        #expect(progress.output.contains("Total: \(full - lost)/\(full) points"), "\(progress.output)")

        try watchPicksUpASave(tool: tool, book: book)
    }

    /// `book watch 1`: checks, sees a save, checks again; Ctrl-C leaves no process behind.
    func watchPicksUpASave(tool: String, book: BuiltBook) throws {
        let watch = Foundation.Process()
        watch.executableURL = URL(fileURLWithPath: tool)
        watch.arguments = ["watch", "1"]
        watch.currentDirectoryURL = book.package
        watch.environment = book.environment
        let output = OutputLog()
        let pipe = Pipe()
        watch.standardOutput = pipe
        watch.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { output.append($0.availableData) }
        try watch.run()
        defer { if watch.isRunning { kill(watch.processIdentifier, SIGKILL) } }

        #expect(output.wait(for: "Watching", count: 1, seconds: 600), "the first check: \(output.text)")
        let file = book.package.appendingPathComponent("Broken/Chapter1/Exercises.swift")
        let original = try Data(contentsOf: file)
        defer { try? original.write(to: file) }
        try (original + Data("\n// saved while watching\n".utf8)).write(to: file)
        let saved = Date()
        // `[12:03:04] Saved: Exercises.swift`, printed when the watch sees the save.
        #expect(output.wait(for: "] Saved: Exercises.swift", count: 1, seconds: 60), "the save was not seen: \(output.text)")
        print(String(format: "book watch saw the save after %.2f s", Date().timeIntervalSince(saved)))
        #expect(output.wait(for: "Watching", count: 2, seconds: 600), "the second check: \(output.text)")
        #expect(output.text.contains("✔ 1.7"), "the chapter was checked again: \(output.text)")

        // Ctrl-C in the middle of a check: the tool and everything it started must end.
        try original.write(to: file)
        #expect(output.wait(for: "] Saved: Exercises.swift", count: 2, seconds: 60), "the second save was not seen: \(output.text)")
        Thread.sleep(forTimeInterval: 1)
        kill(watch.processIdentifier, SIGINT)
        watch.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(Self.processes(mentioning: Self.folder).isEmpty,
                "left running after Ctrl-C: \(Self.processes(mentioning: Self.folder))")
    }

    /// The command lines of running processes that contain `text` (Linux's /proc).
    static func processes(mentioning text: String) -> [String] {
        let mine = ProcessInfo.processInfo.processIdentifier
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { $0 != mine }.compactMap { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
            let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            return line.contains(text) ? "\(pid): \(line.prefix(200))" : nil
        }
    }
}

/// Output collected from a child as it comes.
final class OutputLog: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits until `marker` has appeared `count` times, or `seconds` have passed.
    func wait(for marker: String, count: Int, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if text.components(separatedBy: marker).count - 1 >= count { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}
