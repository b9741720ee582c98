import ExerciseSupport
import Grading
import Testing

@Suite("Grading: the gradebook CSV")
struct GradingGradebookTests {
    @Test("A field with a comma, a quote or a line break is quoted, inner quotes doubled")
    func quoting() {
        #expect(Gradebook.field("plain") == "plain")
        #expect(Gradebook.field("Doe, Jane") == "\"Doe, Jane\"")
        #expect(Gradebook.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(Gradebook.field("two\nlines") == "\"two\nlines\"")
        #expect(Gradebook.field(" padded") == "\" padded\"")
    }
}
