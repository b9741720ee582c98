import Grading
import Testing

@Suite("Grading: compiler errors are pinned on the chapter that caused them")
struct GradingCompilerErrorsTests {
    let sandbox = "/work/sandbox/package"

    @Test("Errors in an exercise file, in a chapter's tests and at the link each name their chapter")
    func attribution() {
        let output = """
        [12/40] Compiling Chapter3Exercises Exercises.swift
        /work/sandbox/package/Exercises/Chapter3/Exercises.swift:12:5: error: cannot find 'foo' in scope
        10 |     let x = 1
           |     `- error: cannot find 'foo' in scope
        /work/sandbox/package/Exercises/Chapter12/Helpers.swift:1:1: error: expected declaration
        /work/sandbox/package/Tests/Chapter5Tests/ExerciseTests.swift:40:9: error: missing argument for parameter 'h' in call
        /usr/bin/ld.gold: error: /work/sandbox/build/x86_64-unknown-linux-gnu/debug/Chapter7Exercises.build/E.swift.o: multiple definition of 'main'
        error: emit-module command failed with exit code 1 (use -v to see invocation)
        /work/sandbox/package/Exercises/Chapter3/Exercises.swift:12:5: error: cannot find 'foo' in scope
        """
        let errors = CompilerErrors(buildOutput: output, sandbox: sandbox)
        #expect(errors.byChapter[3] == ["Exercises/Chapter3/Exercises.swift:12:5: error: cannot find 'foo' in scope"])
        #expect(errors.byChapter[12] == ["Exercises/Chapter12/Helpers.swift:1:1: error: expected declaration"])
        #expect(errors.byChapter[5]?.first?.hasPrefix("Tests/Chapter5Tests/ExerciseTests.swift:40:9") == true)
        #expect(errors.byChapter[7]?.count == 1)
        #expect(Set(errors.byChapter.keys) == [3, 5, 7, 12])
        #expect(errors.unattributed == ["error: emit-module command failed with exit code 1 (use -v to see invocation)"])
    }

    @Test("Warnings and progress lines are not errors; Chapter1 is not Chapter10")
    func notErrors() {
        let output = """
        /work/sandbox/package/Exercises/Chapter1/Exercises.swift:3:9: warning: variable 'x' was never used
        [3/9] Compiling Chapter10Exercises Exercises.swift
        /work/sandbox/package/Exercises/Chapter10/Exercises.swift:3:9: error: oops
        """
        let errors = CompilerErrors(buildOutput: output, sandbox: sandbox)
        #expect(errors.byChapter == [10: ["Exercises/Chapter10/Exercises.swift:3:9: error: oops"]])
        #expect(CompilerErrors(buildOutput: "Build complete!", sandbox: sandbox).isEmpty)
    }
}
