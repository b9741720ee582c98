import ExerciseSupport
import Foundation

/// Writes the grading reports: `gradebook.csv`, and for each student `STUDENT/feedback.md` and
/// `STUDENT/results.json`.
public enum Reports {
    /// Writes one student's feedback and Gradescope results into `out/FOLDER`.
    public static func write(_ grade: StudentGrade, to out: URL) throws {
        let folder = out.appendingPathComponent(folderName(grade.student))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(Feedback.markdown(grade).utf8).write(to: folder.appendingPathComponent("feedback.md"))
        try GradescopeResults(grade).json().write(to: folder.appendingPathComponent("results.json"))
    }

    /// Writes `out/gradebook.csv`, starting with a UTF-8 byte order mark when `byteOrderMark`
    /// is set (for Excel on Windows, `book grade --excel`).
    public static func writeGradebook(_ grades: [StudentGrade], exercises: [Exercise], to out: URL,
                                      byteOrderMark: Bool = false) throws {
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data(((byteOrderMark ? Gradebook.byteOrderMark : "") + Gradebook.csv(grades, exercises: exercises)).utf8)
            .write(to: out.appendingPathComponent("gradebook.csv"))
    }

    /// The student's folder name: their name, with a leading dot or a slash made harmless.
    public static func folderName(_ student: String) -> String {
        var name = student.map { $0 == "/" || $0 == "\0" ? "_" : $0 }.map(String.init).joined()
        if name.hasPrefix(".") || name.isEmpty { name = "_" + name }
        return name
    }
}
