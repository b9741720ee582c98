import Chapter1Mutants
import Chapter2Mutants
import Chapter3Mutants
import Chapter4Mutants
import Chapter5Mutants
import Chapter6Mutants
import Chapter7Mutants
import Chapter8Mutants
import Chapter9Mutants
import ExerciseSupport
import ExerciseTesting
import Testing

/// Every known wrong answer, from every chapter.
let allMutants: [Mutant] = chapter1Mutants + chapter2Mutants + chapter3Mutants + chapter4Mutants
    + chapter5Mutants + chapter6Mutants + chapter7Mutants
    + chapter8Mutants + chapter8DecoderMutants + chapter9Mutants + chapter9MetricMutants

/// The book's exercise checks must reject its known wrong answers, each with a message that
/// names the mistake. Each mutant runs in a child process, as an answer does, so a mutant that
/// crashes (a recursion too deep) is judged by its crash report.
@Suite("Known wrong answers fail their checks")
struct MutantTests {
    @Test("The mutant fails its check, naming its mistake", arguments: allMutants.indices)
    func mutantFails(index: Int) async {
        reportMutant(allMutants[index], await #expect(processExitsWith: .success, observing: childOutput) { [index] in
            runMutant(allMutants[index])
        })
    }

    @Test("Every exercise of a converted chapter has at least two mutants")
    func everyExerciseHasTwo() {
        let chapters = Set(allMutants.map { Int($0.exercise.split(separator: ".")[0])! })
        for exercise in Catalogue.all where chapters.contains(exercise.chapter) {
            let count = allMutants.filter { $0.exercise == exercise.number }.count
            #expect(count >= 2, "exercise \(exercise.number) has \(count) mutant(s); keep at least two known wrong answers")
        }
    }
}
