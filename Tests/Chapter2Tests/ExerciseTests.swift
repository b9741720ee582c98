import Chapter2Checks
import Chapter2Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter2. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 2: your exercises")
struct Chapter2ExerciseTests {
    @Test("Exercise 2.1 ★ The sigmoid node for tensors")
    func exercise2_1() async {
        reportExercise("2.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.1") { try checkSigmoidNode($0, sigmoidNode) }
        })
    }

    @Test("Exercise 2.2 ★★ Sum a gradient back to a shape")
    func exercise2_2() async {
        reportExercise("2.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.2") { try checkReduceGradient($0) { try reduceGradient($0, toShape: $1) } }
        })
    }

    @Test("Exercise 2.3 ★ A stable log-softmax")
    func exercise2_3() async {
        reportExercise("2.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.3") { try checkStableLogSoftmax($0, stableLogSoftmax) }
        })
    }

    @Test("Exercise 2.4 ★★ The matmul backward rule")
    func exercise2_4() async {
        reportExercise("2.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.4") { try checkMatmulNode($0, matmulNode) }
        })
    }

    @Test("Exercise 2.5 ★★ Adam's update with bias correction")
    func exercise2_5() async {
        reportExercise("2.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.5") {
                try checkAdamUpdate($0) { try adamUpdate(theta: &$0, gradient: $1, m: &$2, v: &$3, t: $4, learningRate: $5) }
            }
        })
    }

    @Test("Exercise 2.6 ★ He initialisation")
    func exercise2_6() async {
        reportExercise("2.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.6") { try checkHeInitialisation($0) { try heInitialisation(fanIn: $0, fanOut: $1, rng: &$2) } }
        })
    }

    @Test("Exercise 2.7 ★★ Cross-entropy with padding")
    func exercise2_7() async {
        reportExercise("2.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.7") { try checkPaddedCrossEntropy($0) { try paddedCrossEntropy(logits: $0, targets: $1, ignoreIndex: $2) } }
        })
    }

    @Test("Exercise 2.8 ★★★ Log-softmax as a new differentiable operation")
    func exercise2_8() async {
        reportExercise("2.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.8") { try checkLogSoftmaxNode($0, logSoftmaxNode) }
        })
    }

    @Test("Exercise 2.9 ★★★ Train a digit classifier")
    func exercise2_9() async {
        reportExercise("2.9", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("2.9") { try checkDigitClassifier($0) { try trainDigitClassifier(images: $0, labels: $1, rng: &$2) } }
        })
    }
}
