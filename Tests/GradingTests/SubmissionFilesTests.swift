import Foundation
import Grading
import Testing

@Suite("Grading: only a submission's exercise Swift files are taken")
struct GradingSubmissionFilesTests {
    @Test("Exercises/ is found one folder down, and everything else is ignored and noted")
    func nestedAndIgnored() throws {
        let root = try ArchiveFixtures.temporaryFolder("files")
        defer { try? FileManager.default.removeItem(at: root) }
        try Fixtures.folder(root, [
            "clone/Package.swift": "// the student's own manifest",
            "clone/Tests/Chapter1Tests/T.swift": "// the student's own tests",
            "clone/Exercises/Chapter1/Exercises.swift": "let a = 1",
            "clone/Exercises/Chapter1/More/Helpers.swift": "let b = 2",
            "clone/Exercises/Chapter1/notes.txt": "notes",
            "clone/Exercises/Chapter2/Exercises.swift": "let c = 3",
            "clone/Exercises/README.md": "read me",
            "__MACOSX/clone/Exercises/Chapter1/._Exercises.swift": "resource fork",
        ])
        let files = SubmissionFiles(root: root, chapters: [1])
        #expect(files.byChapter.keys.sorted() == [1], "chapter 2 is not being graded")
        #expect(files.byChapter[1]?.map(\.path) == ["Exercises.swift", "More/Helpers.swift"])
        let note = files.notes.first { $0.hasPrefix("Ignored") } ?? ""
        #expect(note.contains("Chapter1/notes.txt") && note.contains("README.md") && !note.contains("Chapter2"), "\(files.notes)")
    }

    @Test("No Exercises folder, and a chapter with no files, are said so")
    func missing() throws {
        let root = try ArchiveFixtures.temporaryFolder("files-missing")
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(SubmissionFiles(root: root, chapters: [1]).notes.first?.contains("No `Exercises` folder") == true)
        try Fixtures.folder(root, ["Exercises/Chapter1/E.swift": "let a = 1"])
        let files = SubmissionFiles(root: root, chapters: [1, 3])
        #expect(files.notes.contains { $0.contains("No Swift files for chapter 3") })
    }

    @Test("Discovery names students after their entries and skips what is not a submission")
    func discovery() throws {
        let root = try ArchiveFixtures.temporaryFolder("discover")
        defer { try? FileManager.default.removeItem(at: root) }
        try Fixtures.folder(root, ["ada/Exercises/Chapter1/E.swift": "", "ben.zip": "", "cho.tgz": "", "dee.tar.gz": "",
                                   "notes.pdf": "", ".DS_Store": "", "ada.zip": ""])
        let (found, skipped) = try Submission.discover(in: root)
        #expect(found.map(\.student) == ["ada", "ada.zip", "ben", "cho", "dee"], "two entries for ada keep their full names")
        #expect(skipped.count == 1 && skipped[0].hasPrefix("notes.pdf"))
    }
}
