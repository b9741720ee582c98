import Chapter8Checks
import Chapter8Exercises
import ExerciseTesting
import Testing

/// The checks of Exercises/Chapter8. Each exercise's check runs in a child process of its own
/// (see ExerciseTesting's Isolation.swift): a stub ends the test cancelled, a wrong answer fails
/// it with a message, and a crash or a hang costs only that exercise.
@Suite("Chapter 8: your exercises")
struct Chapter8ExerciseTests {
    @Test("Exercise 8.1 ★ Scoring a sequence in log space")
    func exercise8_1() async {
        reportExercise("8.1", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.1") { try checkLogSpaceScore($0, logSpaceScore) }
        })
    }

    @Test("Exercise 8.2 ★ Length normalisation")
    func exercise8_2() async {
        reportExercise("8.2", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.2") { try checkLengthNormalisation($0) { try normalisedScore(logProbability: $0, length: $1, alpha: $2) } }
        })
    }

    @Test("Exercise 8.3 ★★ Greedy decoding")
    func exercise8_3() async {
        reportExercise("8.3", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.3") { try checkGreedy($0) { try greedy($0, endToken: $1, maxLength: $2) } }
        })
    }

    @Test("Exercise 8.4 ★★ One step of beam search")
    func exercise8_4() async {
        reportExercise("8.4", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.4") { try checkBeamStep($0) { try beamStep($0, next: $1, width: $2) } }
        })
    }

    @Test("Exercise 8.5 ★ Softmax with a temperature")
    func exercise8_5() async {
        reportExercise("8.5", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.5") { try checkTemperatureSoftmax($0) { try temperatureSoftmax($0, temperature: $1) } }
        })
    }

    @Test("Exercise 8.6 ★★ The top-k filter")
    func exercise8_6() async {
        reportExercise("8.6", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.6") { try checkTopK($0) { try keepTopK($0, k: $1) } }
        })
    }

    @Test("Exercise 8.7 ★★ The nucleus (top-p) filter")
    func exercise8_7() async {
        reportExercise("8.7", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.7") { try checkNucleus($0) { try keepNucleus($0, p: $1) } }
        })
    }

    @Test("Exercise 8.8 ★★ The repetition penalty")
    func exercise8_8() async {
        reportExercise("8.8", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.8") { try checkPenalise($0) { try penalise($0, previous: $1, theta: $2) } }
        })
    }

    @Test("Exercise 8.9 ★★★ A complete beam search")
    func exercise8_9() async {
        reportExercise("8.9", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.9") { try checkBeamDecode($0) { try beamDecode($0, width: $1, maxLength: $2, endToken: $3, alpha: $4) } }
        })
    }

    @Test("Exercise 8.10 ★★★ Seeded nucleus sampling")
    func exercise8_10() async {
        reportExercise("8.10", await #expect(processExitsWith: .success, observing: childOutput) {
            try runExercise("8.10") {
                try checkNucleusSample($0) { try nucleusSample($0, maxLength: $1, endToken: $2, temperature: $3, topP: $4, rng: &$5) }
            }
        })
    }
}
