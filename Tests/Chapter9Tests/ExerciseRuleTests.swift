import ExerciseSupport
import Testing

/// The forbidden lists of chapter 9's exercises hold: an answer that calls a forbidden reference
/// function, even through a private helper, is refused with the function's name, and a comment
/// or a string that mentions it is not.
@Suite("Chapter 9: the exercises' forbidden lists")
struct Chapter9ExerciseRuleTests {
    @Test("Every exercise's own names differ from its forbidden ones, and each forbidden name is caught through a helper",
          arguments: Catalogue.exercises(inChapter: 9))
    func forbiddenNamesAreCaught(_ exercise: Exercise) {
        #expect(Set(exercise.api).isDisjoint(with: exercise.forbidden), "\(exercise.number): \(exercise.api) shares a name with \(exercise.forbidden)")
        #expect(!exercise.forbidden.isEmpty && (2...3).contains(exercise.hints.count) && Set(exercise.hints).count == exercise.hints.count)
        for name in exercise.forbidden {
            let source = """
            // A comment that mentions \(name) does not count.
            public func \(exercise.api[0])() { _ = "\(name) in a string does not count either"; helper() }
            private func helper() { _ = \(name) }
            """
            let messages = SourceRules.violations(of: exercise, in: [.init(path: "Exercises/Chapter9/\(exercise.file)", source: source)],
                                                  chapterAPI: Catalogue.api(ofChapter: 9))
            #expect(messages.contains { $0.contains("\(exercise.number) calls `\(name)`") && $0.contains("`helper`") },
                    "\(exercise.number) calling \(name) through a helper: \(messages)")
            let clean = SourceRules.violations(of: exercise, in: [.init(path: "Exercises/Chapter9/\(exercise.file)", source: """
                // \(name) is mentioned here only.
                public func \(exercise.api[0])() { _ = "\(name)" }
                """)], chapterAPI: Catalogue.api(ofChapter: 9))
            #expect(clean.isEmpty, "a comment and a string naming \(name) must not count: \(clean)")
        }
    }
}
