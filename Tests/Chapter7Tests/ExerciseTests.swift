import Chapter7Checks
import Chapter7Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter7. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 7: your exercises")
struct Chapter7ExerciseTests {
    @Test("Exercise 7.1 ★ Scaled dot-product attention")
    func exercise7_1() async {
        reportExercise("7.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.1") { try checkAttention($0) { try attention(query: $0, key: $1, value: $2, mask: $3) } }
        })
    }

    @Test("Exercise 7.2 ★ The prefix-LM mask")
    func exercise7_2() async {
        reportExercise("7.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.2") { try checkPrefixMask($0) { try prefixMask(length: $0, prefix: $1) } }
        })
    }

    @Test("Exercise 7.3 ★ Sinusoidal positional encoding")
    func exercise7_3() async {
        reportExercise("7.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.3") { try checkSinusoidalEncoding($0) { try sinusoidalEncoding(length: $0, dimension: $1) } }
        })
    }

    @Test("Exercise 7.4 ★★ Splitting into heads")
    func exercise7_4() async {
        reportExercise("7.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.4") { try checkSplitIntoHeads($0) { try splitIntoHeads($0, heads: $1) } }
        })
    }

    @Test("Exercise 7.5 ★★ Layer normalisation")
    func exercise7_5() async {
        reportExercise("7.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.5") { try checkLayerNormalise($0) { try layerNormalise($0, gamma: $1, beta: $2, epsilon: $3) } }
        })
    }

    @Test("Exercise 7.6 ★★ A self-attention step with a KV cache")
    func exercise7_6() async {
        reportExercise("7.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.6") { try checkCachedAttentionStep($0) { try cachedAttentionStep($0, x: $1, cache: $2) } }
        })
    }

    @Test("Exercise 7.7 ★★ T5 span corruption")
    func exercise7_7() async {
        reportExercise("7.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.7") { try checkCorruptSpans($0) { try corruptSpans($0, spans: $1, sentinels: $2) } }
        })
    }

    @Test("Exercise 7.8 ★★★ Multi-head attention, forward")
    func exercise7_8() async {
        reportExercise("7.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.8") {
                try checkMultiHeadForward($0) {
                    try multiHeadForward(query: $0, memory: $1, heads: $2, wQ: $3, wK: $4, wV: $5, wO: $6, mask: $7)
                }
            }
        })
    }

    @Test("Exercise 7.9 ★★★ A decoder block")
    func exercise7_9() async {
        reportExercise("7.9", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.9") {
                try checkDecoderBlockForward($0) {
                    try decoderBlockForward($0, memory: $1, memoryMask: $2, selfAttention: $3, crossAttention: $4,
                                            feedForward: $5, norms: $6, normFirst: $7)
                }
            }
        })
    }

    @Test("Exercise 7.10 ★★★ Train a Transformer to reverse strings")
    func exercise7_10() async {
        reportExercise("7.10", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.10") { try checkTrainReverser($0) { try trainReverser(strings: $0, vocabularySize: $1, rng: &$2) } }
        })
    }

    @Test("Exercise 7.11 ★ Cutting an image into patches")
    func exercise7_11() async {
        reportExercise("7.11", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.11") { try checkPatchesOf($0) { try patchesOf($0, size: $1) } }
        })
    }

    @Test("Exercise 7.12 ★★ Learned queries read the patches")
    func exercise7_12() async {
        reportExercise("7.12", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("7.12") { try checkQueryReadout($0) { try queryReadout(queries: $0, tokens: $1, attention: $2) } }
        })
    }
}
