import Chapter1Checks
import Chapter1Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter1. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 1: your exercises")
struct Chapter1ExerciseTests {
    @Test("Exercise 1.1 ★ The product node")
    func exercise1_1() async {
        reportExercise("1.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.1") { try checkProductNode($0, product) }
        })
    }

    @Test("Exercise 1.2 ★ The sigmoid node")
    func exercise1_2() async {
        reportExercise("1.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.2") { try checkSigmoidNode($0, sigmoidNode) }
        })
    }

    @Test("Exercise 1.3 ★★ Central differences")
    func exercise1_3() async {
        reportExercise("1.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.3") { try checkCentralDifferences($0) { try centralDifferences(of: $0, at: $1, h: $2) } }
        })
    }

    @Test("Exercise 1.4 ★★ Topological order")
    func exercise1_4() async {
        reportExercise("1.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.4") { try checkTopologicalSort($0, topologicalSort) }
        })
    }

    @Test("Exercise 1.5 ★★ The backward pass")
    func exercise1_5() async {
        reportExercise("1.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.5") { try checkBackpropagate($0) { try backpropagate(from: $0) } }
        })
    }

    @Test("Exercise 1.6 ★★ A tanh neuron")
    func exercise1_6() async {
        reportExercise("1.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.6") { try checkNeuron($0) { try neuron(inputs: $0, weights: $1, bias: $2) } }
        })
    }

    @Test("Exercise 1.7 ★★★ Train an MLP on XOR")
    func exercise1_7() async {
        reportExercise("1.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("1.7") { try checkTrainXOR($0) { try trainXOR(inputs: $0, targets: $1, rng: &$2) } }
        })
    }
}
