import Chapter4Checks
import Chapter4Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter4. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 4: your exercises")
struct Chapter4ExerciseTests {
    @Test("Exercise 4.1 ★ The reparameterisation node")
    func exercise4_1() async {
        reportExercise("4.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.1") { try checkReparameteriseNode($0) { try reparameteriseNode(mu: $0, sigma: $1, epsilon: $2) } }
        })
    }

    @Test("Exercise 4.2 ★ The KL of a diagonal Gaussian from N(0, I)")
    func exercise4_2() async {
        reportExercise("4.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.2") { try checkGaussianKL($0) { try gaussianKL(mu: $0, sigma: $1) } }
        })
    }

    @Test("Exercise 4.3 ★★ The KL as a differentiable operation")
    func exercise4_3() async {
        reportExercise("4.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.3") { try checkKLNode($0) { try klNode(mu: $0, logVariance: $1) } }
        })
    }

    @Test("Exercise 4.4 ★★ The β-weighted negative ELBO")
    func exercise4_4() async {
        reportExercise("4.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.4") {
                try checkBetaVAELoss($0) { try betaVAELoss(x: $0, logits: $1, mu: $2, logVariance: $3, beta: $4) }
            }
        })
    }

    @Test("Exercise 4.5 ★★ Cyclical KL annealing")
    func exercise4_5() async {
        reportExercise("4.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.5") {
                try checkCyclicalBeta($0) { try cyclicalBeta(step: $0, target: $1, cycleLength: $2, rampFraction: $3) }
            }
        })
    }

    @Test("Exercise 4.6 ★ Sampling from the prior")
    func exercise4_6() async {
        reportExercise("4.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.6") { try checkSampleImages($0) { try sampleImages(from: $0, count: $1, rng: &$2) } }
        })
    }

    @Test("Exercise 4.7 ★★ Interpolating between two images")
    func exercise4_7() async {
        reportExercise("4.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.7") { try checkInterpolateImages($0) { try interpolateImages($0, from: $1, to: $2, steps: $3) } }
        })
    }

    @Test("Exercise 4.8 ★★★ An importance-weighted estimate of log p(x)")
    func exercise4_8() async {
        reportExercise("4.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.8") { try checkLogLikelihoodEstimate($0) { try logLikelihoodEstimate($0, $1, epsilons: $2) } }
        })
    }

    @Test("Exercise 4.9 ★★★ Train a VAE to a stated ELBO")
    func exercise4_9() async {
        reportExercise("4.9", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("4.9") {
                try checkFitVAE($0) { try fitVAE($0, data: $1, epochs: $2, batchSize: $3, learningRate: $4, rng: &$5) }
            }
        })
    }
}
