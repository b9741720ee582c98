import ExerciseSupport
import Testing

/// The issue that made the forbidden lists data: 8.2 answered with the book's own function.
/// (Every exercise's forbidden names are tested in SupportTests' catalogue tests.)
@Suite("Chapter 8: the exercises' forbidden lists")
struct Chapter8ExerciseRuleTests {
    @Test("8.2 answered by calling lengthNormalisedScore is refused, naming it")
    func lengthNormalisationByTheBook() throws {
        let exercise = try #require(Catalogue.exercise("8.2"))
        let messages = SourceRules.violations(of: exercise, in: [.init(path: "Exercises/Chapter8/Exercises.swift", source: """
            public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
                lengthNormalisedScore(logProbability: logProbability, length: length, alpha: alpha)
            }
            """)], chapterAPI: Catalogue.api(ofChapter: 8))
        #expect(messages.contains { $0.hasPrefix("8.2 calls `lengthNormalisedScore`") }, "\(messages)")
    }
}
