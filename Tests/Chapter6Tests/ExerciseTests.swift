import Chapter6Checks
import Chapter6Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter6. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 6: your exercises")
struct Chapter6ExerciseTests {
    @Test("Exercise 6.1 ★ Dot-product scores")
    func exercise6_1() async {
        reportExercise("6.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.1") { try checkDotProductScores($0) { try dotProductScores(decoderState: $0, encoderStates: $1) } }
        })
    }

    @Test("Exercise 6.2 ★★ Attention weights with a mask")
    func exercise6_2() async {
        reportExercise("6.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.2") { try checkMaskedAttentionWeights($0) { try maskedAttentionWeights(scores: $0, mask: $1) } }
        })
    }

    @Test("Exercise 6.3 ★ The context vector")
    func exercise6_3() async {
        reportExercise("6.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.3") { try checkContextVector($0) { try contextVectorOf(weights: $0, encoderStates: $1) } }
        })
    }

    @Test("Exercise 6.4 ★★ Bahdanau's additive scores")
    func exercise6_4() async {
        reportExercise("6.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.4") {
                try checkBahdanauScores($0) { try bahdanauScores(encoderStates: $0, previousState: $1, w1: $2, w2: $3, v: $4) }
            }
        })
    }

    @Test("Exercise 6.5 ★★ Luong's general score")
    func exercise6_5() async {
        reportExercise("6.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.5") {
                try checkLuongGeneralScores($0) { try luongGeneralScores(decoderState: $0, weight: $1, encoderStates: $2) }
            }
        })
    }

    @Test("Exercise 6.6 ★★ The coverage loss of a decoding")
    func exercise6_6() async {
        reportExercise("6.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.6") { try checkCoverageLoss($0) { try totalCoverageLoss(attention: $0) } }
        })
    }

    @Test("Exercise 6.7 ★★ The pointer-generator mixture")
    func exercise6_7() async {
        reportExercise("6.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.7") {
                try checkPointerGeneratorMixture($0) {
                    try pointerGeneratorMixture(pGen: $0, vocabularyDistribution: $1, attention: $2, sourceIDs: $3, extendedVocabularySize: $4)
                }
            }
        })
    }

    @Test("Exercise 6.8 ★★★ An attention decoder step on tensors")
    func exercise6_8() async {
        reportExercise("6.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.8") {
                try checkAttentionDecoderStep($0) {
                    try attentionDecoderStep(previous: $0, state: $1, encoderStates: $2, mask: $3, w1: $4, w2: $5, v: $6,
                                             embedding: $7, cell: $8, output: $9)
                }
            }
        })
    }

    @Test("Exercise 6.9 ★★★ Train attention to copy long strings")
    func exercise6_9() async {
        reportExercise("6.9", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("6.9") { c in
                try checkAttentionCopyLoss(c) { try attentionCopyLoss(model: $0, sources: $1, targets: $2) }
                guard c.failures.isEmpty else { return }
                try checkTrainAttentionCopier(c) { try trainAttentionCopier(model: $0, data: $1, rng: &$2) }
            }
        })
    }
}
