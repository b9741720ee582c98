import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// Two made-up exercises in two chapters, so the tests do not depend on the catalogue's size.
let sampleExercises = [
    Exercise("1.1", "First", stars: 1, api: ["first"], hints: ["h"]),
    Exercise("1.2", "Second", stars: 2, api: ["second"], hints: ["h"]),
    Exercise("2.1", "Third", stars: 3, api: ["third"], hints: ["h"]),
]

func sampleGrade(_ student: String, _ statuses: [ExerciseStatus], notes: [String] = []) -> StudentGrade {
    StudentGrade(student: student, grades: zip(sampleExercises, statuses).map { ExerciseResult($0, $1) }, notes: notes)
}

@Suite("Grading: the gradebook CSV")
struct GradingGradebookTests {
    @Test("A field with a comma, a quote or a line break is quoted, inner quotes doubled")
    func quoting() {
        #expect(Gradebook.field("plain") == "plain")
        #expect(Gradebook.field("Doe, Jane") == "\"Doe, Jane\"")
        #expect(Gradebook.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(Gradebook.field("two\nlines") == "\"two\nlines\"")
        #expect(Gradebook.field(" padded") == "\" padded\"")
        #expect(Gradebook.field("12") == "12")
    }

    @Test("A name that a spreadsheet would run as a formula is defused")
    func formulas() {
        #expect(Gradebook.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(Gradebook.field("@sum") == "'@sum")
        #expect(Gradebook.field("-5") == "-5")
    }

    @Test("Rows: header, max points, then one per student with per-chapter totals and a grand total")
    func rows() {
        let csv = Gradebook.csv([
            sampleGrade("Doe, Jane", [.passed, .failed, .passed]),
            sampleGrade("bob", [.crashed, .passed, .timedOut]),
        ], exercises: sampleExercises)
        #expect(csv == """
        student,status,1.1,1.2,2.1,chapter 1,chapter 2,total\r
        max points,,5,10,25,15,25,40\r
        "Doe, Jane",graded,5,0,25,5,25,30\r
        bob,graded,0,10,0,10,0,10\r

        """)
    }
}
