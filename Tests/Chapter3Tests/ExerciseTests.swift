import Chapter3Checks
import Chapter3Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter3. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 3: your exercises")
struct Chapter3ExerciseTests {
    @Test("Exercise 3.1 ★ The encoder-decoder forward pass")
    func exercise3_1() async {
        reportExercise("3.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.1") { try checkEncodeDecode($0) { try encodeDecode($0, encoder: $1, decoder: $2) } }
        })
    }

    @Test("Exercise 3.2 ★ Counting an autoencoder's parameters")
    func exercise3_2() async {
        reportExercise("3.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.2") { try checkParameterCounts($0) { try autoencoderParameterCounts(widths: $0) } }
        })
    }

    @Test("Exercise 3.3 ★★ The reconstruction loss")
    func exercise3_3() async {
        reportExercise("3.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.3") { try checkBatchReconstructionLoss($0, batchReconstructionLoss) }
        })
    }

    @Test("Exercise 3.4 ★★ The denoising corruption")
    func exercise3_4() async {
        reportExercise("3.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.4") {
                try checkCorruption($0, mask: { try maskRandomPixels($0, probability: $1, rng: &$2) },
                                    noise: { try addGaussianNoise($0, standardDeviation: $1, rng: &$2) })
            }
        })
    }

    @Test("Exercise 3.5 ★★ PCA projection")
    func exercise3_5() async {
        reportExercise("3.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.5") { try checkPCAProjection($0) { try pcaProjection($0, mean: $1, components: $2) } }
        })
    }

    @Test("Exercise 3.6 ★★ The bottleneck sweep")
    func exercise3_6() async {
        reportExercise("3.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.6") {
                try checkSweepBottleneck($0) {
                    try sweepBottleneck(widths: $0, trainingImages: $1, testImages: $2, steps: $3, seed: $4)
                }
            }
        })
    }

    @Test("Exercise 3.7 ★★ Principal angles")
    func exercise3_7() async {
        reportExercise("3.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.7") { try checkPrincipalAngleCosines($0, principalAngleCosines) }
        })
    }

    @Test("Exercise 3.8 ★★★ Train an autoencoder on MNIST")
    func exercise3_8() async {
        reportExercise("3.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.8") {
                try checkFitAutoencoder($0) {
                    try fitAutoencoder($0, images: $1, steps: $2, batchSize: $3, learningRate: $4, seed: $5)
                }
            }
        })
    }

    @Test("Exercise 3.9 ★★★ Backpropagation through an autoencoder, by hand")
    func exercise3_9() async {
        reportExercise("3.9", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("3.9") {
                try checkAutoencoderGradients($0) { try autoencoderGradients(x: $0, w1: $1, b1: $2, w2: $3, b2: $4) }
            }
        })
    }
}
