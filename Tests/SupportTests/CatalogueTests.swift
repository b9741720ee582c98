import ExerciseSupport
import Foundation
import Testing

/// The exercise catalogue against the files: every exercise teaches in steps, names what it
/// forbids, and exists as a stub and an answer with the API it promises.
@Suite("The exercise catalogue: hints, rules, difficulty and files")
struct CatalogueTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("Every exercise has two or three hint levels, none repeating another")
    func hintLevels() {
        for exercise in Catalogue.all {
            #expect((2...3).contains(exercise.hints.count), "\(exercise.number) has \(exercise.hints.count) hint level(s)")
            #expect(Set(exercise.hints).count == exercise.hints.count, "\(exercise.number) repeats a hint level")
            for (a, b) in zip(exercise.hints, exercise.hints.dropFirst()) {
                #expect(!b.hasPrefix(a) && !a.hasPrefix(b), "\(exercise.number): a level only extends the one before it")
            }
        }
    }

    @Test("No exercise forbids its own name, and numbers are unique and in order")
    func rules() {
        for exercise in Catalogue.all {
            #expect(Set(exercise.api).isDisjoint(with: exercise.forbidden), "\(exercise.number) forbids one of its own names")
        }
        let numbers = Catalogue.all.map(\.number)
        #expect(Set(numbers).count == numbers.count, "an exercise number appears twice")
        for chapter in Catalogue.chapters {
            let indices = Catalogue.exercises(inChapter: chapter).map(\.index)
            #expect(indices == Array(1...indices.count), "chapter \(chapter)'s exercises are numbered \(indices)")
        }
    }

    @Test("Chapters 2 to 9 each have at least two ★★★ exercises, worth clearly more than a ★")
    func difficulty() {
        for chapter in 2...9 {
            let hard = Catalogue.exercises(inChapter: chapter).filter { $0.stars == 3 }
            #expect(hard.count >= 2, "chapter \(chapter) has \(hard.count) ★★★ exercise(s)")
        }
        let points = Dictionary(grouping: Catalogue.all, by: \.stars).mapValues { Set($0.map(\.points)) }
        #expect(points[1] == [5] && points[2] == [10] && points[3] == [25])
    }

    @Test("Every exercise's stub and answer files exist and declare its public API")
    func files() throws {
        for exercise in Catalogue.all {
            for folder in ["Exercises", "Solutions"] {
                let url = Self.root.appendingPathComponent("\(folder)/Chapter\(exercise.chapter)/\(exercise.file)")
                let text = try String(contentsOf: url, encoding: .utf8)
                let names = Set(swiftTokens(text).map(\.text))
                for name in exercise.api {
                    #expect(names.contains(name), "\(folder)/Chapter\(exercise.chapter)/\(exercise.file) does not declare \(name) (\(exercise.number))")
                }
                if folder == "Exercises" {
                    #expect(text.contains("throw NotAttempted(\"\(exercise.number)\")"), "the stub of \(exercise.number) does not throw NotAttempted")
                }
            }
        }
    }

    @Test("Each forbidden name is caught through a private helper, and never in a comment or a string",
          arguments: Catalogue.all.filter { !$0.forbidden.isEmpty })
    func forbiddenNamesAreCaught(_ exercise: Exercise) {
        let path = "Exercises/Chapter\(exercise.chapter)/\(exercise.file)"
        let api = Catalogue.api(ofChapter: exercise.chapter)
        for name in exercise.forbidden {
            let messages = SourceRules.violations(of: exercise, in: [.init(path: path, source: """
                // A comment that mentions \(name) does not count.
                public func \(exercise.api[0])() { _ = "\(name) in a string does not count either"; helper() }
                private func helper() { _ = \(name) }
                """)], chapterAPI: api)
            #expect(messages.contains { $0.contains("\(exercise.number) calls `\(name)`") && $0.contains("`helper`") },
                    "\(exercise.number) calling \(name) through a helper: \(messages)")
            let clean = SourceRules.violations(of: exercise, in: [.init(path: path, source: """
                // \(name) is mentioned here only.
                public func \(exercise.api[0])() { _ = "\(name)" }
                """)], chapterAPI: api)
            #expect(clean.isEmpty, "a comment and a string naming \(name) must not count: \(clean)")
        }
    }
}
