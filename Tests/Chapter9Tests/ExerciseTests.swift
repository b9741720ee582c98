import Chapter9Checks
import Chapter9Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter9. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 9: your exercises")
struct Chapter9ExerciseTests {
    @Test("Exercise 9.1 ★ Label-smoothed targets")
    func exercise9_1() async {
        reportExercise("9.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.1") { try checkLabelSmoothingTargets($0) { try labelSmoothingTargets(target: $0, classes: $1, epsilon: $2) } }
        })
    }

    @Test("Exercise 9.2 ★ Perplexity")
    func exercise9_2() async {
        reportExercise("9.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.2") { try checkPerplexity($0, tokenPerplexity) }
        })
    }

    @Test("Exercise 9.3 ★★ Modified (clipped) n-gram precision")
    func exercise9_3() async {
        reportExercise("9.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.3") { try checkClippedPrecision($0) { try clippedPrecision(hypothesis: $0, references: $1, n: $2) } }
        })
    }

    @Test("Exercise 9.4 ★ The brevity penalty")
    func exercise9_4() async {
        reportExercise("9.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.4") { try checkBrevity($0) { try brevity(hypothesisLength: $0, referenceLength: $1) } }
        })
    }

    @Test("Exercise 9.5 ★★ BLEU from corpus statistics")
    func exercise9_5() async {
        reportExercise("9.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.5") { try checkBLEUScore($0) { try bleuScore(matches: $0, totals: $1, hypothesisLength: $2, referenceLength: $3) } }
        })
    }

    @Test("Exercise 9.6 ★★ Longest common subsequence for ROUGE-L")
    func exercise9_6() async {
        reportExercise("9.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.6") { try checkLCS($0, lcsLength) }
        })
    }

    @Test("Exercise 9.7 ★★★ Sentence BLEU with smoothing and the closest reference length")
    func exercise9_7() async {
        reportExercise("9.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.7") { try checkSentenceBLEU($0) { try smoothedSentenceBLEU(hypothesis: $0, references: $1) } }
        })
    }

    @Test("Exercise 9.8 ★★★ The label-smoothed loss and its gradient")
    func exercise9_8() async {
        reportExercise("9.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("9.8") { try checkLabelSmoothingLoss($0) { try labelSmoothingLoss(logits: $0, targets: $1, epsilon: $2, ignoreIndex: $3) } }
        })
    }
}
