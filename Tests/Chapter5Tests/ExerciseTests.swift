import Chapter5Checks
import Chapter5Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter5. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 5: your exercises")
struct Chapter5ExerciseTests {
    @Test("Exercise 5.1 ★★ One GRU step, gate by gate")
    func exercise5_1() async {
        reportExercise("5.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.1") {
                try checkGRUStep($0) { try gruStep(x: $0, h: $1, weightIH: $2, weightHH: $3, biasIH: $4, biasHH: $5) }
            }
        })
    }

    @Test("Exercise 5.2 ★ Counting a GRU's and an LSTM's parameters")
    func exercise5_2() async {
        reportExercise("5.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.2") { try checkParameterCounts($0) { try recurrentParameterCounts(input: $0, hidden: $1) } }
        })
    }

    @Test("Exercise 5.3 ★★ The teacher-forced loss of one pair")
    func exercise5_3() async {
        reportExercise("5.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.3") {
                try checkTeacherForcedPairLoss($0) { try teacherForcedPairLoss(model: $0, source: $1, target: $2) }
            }
        })
    }

    @Test("Exercise 5.4 ★★ The greedy decoding loop")
    func exercise5_4() async {
        reportExercise("5.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.4") { try checkGreedyTranslate($0) { try greedyTranslate(model: $0, source: $1, maxLength: $2) } }
        })
    }

    @Test("Exercise 5.5 ★★ Bidirectional states")
    func exercise5_5() async {
        reportExercise("5.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.5") {
                try checkBidirectionalStates($0) { try bidirectionalStates(forward: $0, backward: $1, inputs: $2) }
            }
        })
    }

    @Test("Exercise 5.6 ★ The inverse-sigmoid schedule")
    func exercise5_6() async {
        reportExercise("5.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.6") { try checkInverseSigmoidSchedule($0) { try inverseSigmoidSchedule(step: $0, k: $1) } }
        })
    }

    @Test("Exercise 5.7 ★★★ A GRU encoder over a padded batch")
    func exercise5_7() async {
        reportExercise("5.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.7") { try checkPaddedEncoder($0) { try encodePaddedBatch($0, embedding: $1, cell: $2) } }
        })
    }

    @Test("Exercise 5.8 ★★★ Train a seq2seq model to reverse strings")
    func exercise5_8() async {
        reportExercise("5.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("5.8") { c in
                try checkReverserStep(c) { try reverserStep(model: $0, optimizer: &$1, sources: $2, targets: $3) }
                guard c.failures.isEmpty else { return }
                try checkTrainReverser(c) { try trainReverser(model: $0, data: $1, rng: &$2) }
            }
        })
    }
}
