import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

@Suite("Grading intake: honest submissions are found, however they are packed")
struct GradingIntakeTests {
    @Test("A clone two folders down is found; Solutions/, Mutants/ and .build copies are not taken; the rest is listed as not read")
    func twoDeepClone() throws {
        let root = try ArchiveFixtures.temporaryFolder("two-deep")
        defer { try? FileManager.default.removeItem(at: root) }
        try Fixtures.folder(root, [
            "course/cleo-repo/Package.swift": "// manifest",
            "course/cleo-repo/Exercises/Chapter1/Exercises.swift": "let mine = 1",
            "course/cleo-repo/Solutions/Chapter1/Exercises.swift": "let reference = 1",
            "course/cleo-repo/Mutants/Chapter1/Mutants.swift": "let wrong = 1",
            "course/cleo-repo/.build/debug/Exercises/Chapter1/Exercises.swift": "let stale = 1",
            "course/notes.txt": "my notes",
        ])
        let files = SubmissionFiles(root: root, chapters: [1], api: [1: ["product"]])
        #expect(files.byChapter[1]?.map(\.path) == ["Exercises.swift"])
        #expect(files.byChapter[1]?.first.map { String(decoding: $0.contents, as: UTF8.self) } == "let mine = 1")
        #expect(files.folders == [1: "course/cleo-repo/Exercises/Chapter1"])
        #expect(files.notes.contains("Graded the exercise folder `course/cleo-repo/Exercises/`."), "\(files.notes)")
        let unread = try #require(files.notes.first { $0.hasPrefix("Not read") })
        for item in ["`course/cleo-repo/Package.swift`", "`course/cleo-repo/Solutions/`", "`course/cleo-repo/Mutants/`", "`course/notes.txt`"] {
            #expect(unread.contains(item), "\(item) is listed: \(unread)")
        }
        #expect(!unread.contains("Exercises"), "the graded folder is not listed as not read: \(unread)")
    }

    @Test("Of two Exercises folders, the shallowest that holds a graded chapter is taken, whatever order the disk lists them in, and the feedback says so")
    func severalExercisesFolders() throws {
        let root = try ArchiveFixtures.temporaryFolder("several")
        defer { try? FileManager.default.removeItem(at: root) }
        try Fixtures.folder(root, [
            "b-copy/Exercises/Chapter1/E.swift": "let b = 1",
            "a-copy/Exercises/Chapter1/E.swift": "let a = 1",
            "deeper/x/Exercises/Chapter1/E.swift": "let deep = 1",
            "other/Exercises/Chapter2/E.swift": "let two = 1",
        ])
        let files = SubmissionFiles(root: root, chapters: [1])
        #expect(files.folders == [1: "a-copy/Exercises/Chapter1"])
        #expect(files.notes.first?.hasPrefix("Graded the exercise folder `a-copy/Exercises/`; also found `b-copy/Exercises/`") == true, "\(files.notes)")
    }

    @Test("Bare ChapterN folders are taken when their files declare the chapter's exercise functions; Solutions/ChapterN never")
    func bareChapters() throws {
        let root = try ArchiveFixtures.temporaryFolder("bare")
        defer { try? FileManager.default.removeItem(at: root) }
        try Fixtures.folder(root, [
            "Chapter1/Exercises.swift": IntakeFixtures.chapter1Answer,
            "Chapter8/BeamSearch.swift": "public func greedyDecode(_ x: [Int]) -> [Int] { x }",
            "Chapter8/Notes.md": "notes",
            "photos/Chapter9/Exercises.swift": "let holiday = 1",
        ])
        let files = SubmissionFiles(root: root, chapters: [1, 8, 9], api: [1: ["product"], 8: ["greedyDecode"], 9: ["labelSmoothing"]])
        #expect(files.byChapter.keys.sorted() == [1, 8], "a Chapter9 folder that declares none of chapter 9's functions is not taken")
        #expect(files.notes.first == "No `Exercises` folder was found, so `Chapter1/`, `Chapter8/` were graded: named for a chapter, each declares that chapter's exercise functions.")
        #expect(files.notes.contains { $0.hasPrefix("Ignored 1 file(s): `Chapter8/Notes.md`") }, "\(files.notes)")
        #expect(files.notes.contains { $0.contains("No Swift files for chapter 9") })

        let clone = try ArchiveFixtures.temporaryFolder("only-solutions")
        defer { try? FileManager.default.removeItem(at: clone) }
        try Fixtures.folder(clone, ["repo/Solutions/Chapter1/Exercises.swift": IntakeFixtures.chapter1Answer,
                                    "repo/Mutants/Chapter1/Mutants.swift": IntakeFixtures.chapter1Answer])
        let none = SubmissionFiles(root: clone, chapters: [1], api: [1: ["product"]])
        #expect(!none.foundExercises, "the reference answers are never graded as the student's")
        #expect(none.notes.first?.hasPrefix("No `Exercises` folder") == true)
        #expect(none.notes.contains { $0.contains("`repo/`") }, "what the submission holds is listed: \(none.notes)")
    }

    @Test("A Windows PowerShell zip (backslashes, deflated, made on MS-DOS) unpacks like the same folder")
    func backslashZip() throws {
        let folder = try ArchiveFixtures.temporaryFolder("windows")
        defer { try? FileManager.default.removeItem(at: folder) }
        let answer = String(repeating: IntakeFixtures.chapter1Answer, count: 20)
        try IntakeFixtures.windowsZip([
            ("cleo-repo\\Exercises\\Chapter1\\Exercises.swift", answer),
            ("cleo-repo\\Exercises\\Chapter1\\Helpers\\More.swift", "let more = 2\n"),
            ("cleo-repo\\Package.swift", "// manifest"),
        ]).write(to: folder.appendingPathComponent("cleo.zip"))
        let submission = try #require(try Submission.discover(in: folder).submissions.first)
        let (files, notes) = try IntakeFixtures.taken(submission, staging: folder.appendingPathComponent("staging"))
        #expect(notes.isEmpty)
        #expect(files.byChapter[1]?.map(\.path) == ["Exercises.swift", "Helpers/More.swift"])
        #expect(files.byChapter[1]?.first.map { String(decoding: $0.contents, as: UTF8.self) } == answer, "deflated data comes back whole")
    }

    @Test("A ZIP64 zip (what zip tools write past 65,535 entries, as a clone with its .build folder may have) is read")
    func zip64() throws {
        let folder = try ArchiveFixtures.temporaryFolder("zip64")
        defer { try? FileManager.default.removeItem(at: folder) }
        try IntakeFixtures.zip64([("repo/.build/x.o", "object"), ("repo/Exercises/Chapter1/Exercises.swift", IntakeFixtures.chapter1Answer)])
            .write(to: folder.appendingPathComponent("big.zip"))
        let submission = try #require(try Submission.discover(in: folder).submissions.first)
        let (files, notes) = try IntakeFixtures.taken(submission, staging: folder.appendingPathComponent("staging"))
        #expect(files.byChapter[1]?.first.map { String(decoding: $0.contents, as: UTF8.self) } == IntakeFixtures.chapter1Answer)
        #expect(notes.first?.hasPrefix("Skipped 1 archive entry") == true, "\(notes)")
        var damaged = [UInt8](try Data(contentsOf: folder.appendingPathComponent("big.zip")))
        damaged[damaged.count - 42] ^= 0xff  // the locator's signature
        #expect(throws: GradingError.self) { try ZipListing.entries(of: Data(damaged)) }
    }

    @Test("Backslashes cannot smuggle a '..', an absolute path or a drive letter", arguments: [
        "Exercises\\..\\..\\escape.swift", "\\\\server\\share\\x.swift", "C:\\Users\\x.swift", "\\etc\\passwd", "a/b\\..\\..\\..\\c",
    ])
    func backslashEscapes(path: String) throws {
        #expect(ArchiveValidation.pathProblem(path) != nil, "\(path) should be refused")
        let folder = try ArchiveFixtures.temporaryFolder("windows-escape")
        defer { try? FileManager.default.removeItem(at: folder) }
        try IntakeFixtures.windowsZip([("Exercises\\Chapter1\\E.swift", "let a = 1"), (path, "escaped")])
            .write(to: folder.appendingPathComponent("eve.zip"))
        let submission = try #require(try Submission.discover(in: folder).submissions.first)
        let staging = folder.appendingPathComponent("staging")
        #expect(throws: GradingError.self) { try submission.unpack(into: staging) }
        #expect((try? FileManager.default.contentsOfDirectory(atPath: staging.path))?.isEmpty ?? true)
    }

    @Test("A clone zipped (and tarred) with the links in .build kept is graded, .build, .git and .swiftpm skipped unread, and the feedback says so")
    func cloneWithBuildLinks() throws {
        let folder = try ArchiveFixtures.temporaryFolder("built-clone")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = IntakeFixtures.builtClone("cleo-repo", answers: IntakeFixtures.chapter1Answer, solution: "// reference")
        try ArchiveFixtures.zip(entries).write(to: folder.appendingPathComponent("zipped.zip"))
        try ArchiveFixtures.writeTarGzip(entries, to: folder.appendingPathComponent("tarred.tar.gz"))
        for submission in try Submission.discover(in: folder).submissions {
            let staging = folder.appendingPathComponent("staging-\(submission.student)")
            let (files, notes) = try IntakeFixtures.taken(submission, staging: staging)
            #expect(files.byChapter[1]?.map(\.path) == ["Exercises.swift"], "\(submission.student): \(files.notes)")
            #expect(files.byChapter[1]?.first.map { String(decoding: $0.contents, as: UTF8.self) } == IntakeFixtures.chapter1Answer)
            #expect(notes == ["Skipped 5 archive entries in hidden folders and files (`cleo-repo/.git/`, `cleo-repo/.build/`, `cleo-repo/.swiftpm/`): never unpacked or read."],
                    "\(submission.student): \(notes)")
            #expect(!FileManager.default.fileExists(atPath: staging.appendingPathComponent("cleo-repo/.build").path), "nothing of .build is written")
            let unread = files.notes.first { $0.hasPrefix("Not read") } ?? ""
            #expect(unread.contains("`cleo-repo/Package.swift`") && unread.contains("`cleo-repo/Sources/`") && unread.contains("`cleo-repo/Tests/`"), "\(unread)")
        }
    }

    @Test("A link that would be read and points out of the archive is refused; one that points inside is passed over, noted")
    func linksOutsideSkippedFolders() throws {
        let outward: [ArchiveEntry] = [
            ArchiveEntry(path: "Exercises/Chapter1/E.swift", kind: .file, size: 3),
            ArchiveEntry(path: "Exercises/Chapter1/Stolen.swift", kind: .link, size: 0, linkTarget: "../../../../etc/hostname"),
        ]
        #expect(ArchiveValidation.problem(with: outward)?.contains("points outside the archive") == true)
        let absolute = [outward[0], ArchiveEntry(path: "repo/x", kind: .link, size: 0, linkTarget: "/etc/hostname")]
        #expect(ArchiveValidation.problem(with: absolute)?.contains("absolute path") == true)
        let inside = [outward[0], ArchiveEntry(path: "repo/docs/README.md", kind: .link, size: 0, linkTarget: "../README.md")]
        let plan = try ArchiveValidation.plan(inside)
        #expect(plan.unpack == [0] && plan.ignoredLinks == ["repo/docs/README.md"])
        #expect(plan.notes == ["Ignored 1 symbolic link(s) (`repo/docs/README.md`): links are never followed."])
        let hidden = [outward[0], ArchiveEntry(path: ".build/lib", kind: .link, size: 0, linkTarget: "/usr/lib")]
        #expect(try ArchiveValidation.plan(hidden).unpack == [0], "a link inside a skipped folder is skipped with it")
    }

    @Test("The size limits count what is unpacked, not the hidden folders")
    func limitsCountWhatIsUnpacked() throws {
        let answers = ArchiveEntry(path: "repo/Exercises/Chapter1/E.swift", kind: .file, size: 1_000)
        let build = (0..<20_000).map { ArchiveEntry(path: "repo/.build/obj\($0).o", kind: .file, size: 20_000) }
        let plan = try ArchiveValidation.plan(build + [answers])
        #expect(plan.unpack == [20_000] && plan.skipped == 20_000, "400 MB and 20,000 entries in .build do not count")
        let big = ArchiveEntry(path: "repo/data.bin", kind: .file, size: ArchiveValidation.maxBytes)
        #expect(ArchiveValidation.problem(with: [big, answers])?.contains("more than 200 MB") == true)
    }

    @Test("A tar.gz whose .build holds more than the unpacked limit is graded: only what is read counts", .timeLimit(.minutes(2)))
    func largeBuildFolderInTar() throws {
        let folder = try ArchiveFixtures.temporaryFolder("big-build")
        defer { try? FileManager.default.removeItem(at: folder) }
        let filler = String(repeating: "\0", count: ArchiveValidation.maxBytes + 1)
        try ArchiveFixtures.writeTarGzip([.file("repo/.build/debug/huge.o", filler), .file("repo/Exercises/Chapter1/E.swift", "let a = 1\n")],
                                         to: folder.appendingPathComponent("big.tar.gz"))
        let submission = try #require(try Submission.discover(in: folder).submissions.first)
        let (files, notes) = try IntakeFixtures.taken(submission, staging: folder.appendingPathComponent("staging"))
        #expect(files.byChapter[1]?.map(\.path) == ["E.swift"])
        #expect(notes.first?.hasPrefix("Skipped 1 archive entry in hidden folders and files (`repo/.build/`)") == true, "\(notes)")
    }

    @Test("An empty zip and an empty tar.gz are refused in one line that names no path of the grader's machine")
    func emptyArchives() throws {
        let folder = try ArchiveFixtures.temporaryFolder("empty-archive")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ZipWriter.zip([]).write(to: folder.appendingPathComponent("nobody.zip"))
        try ArchiveFixtures.writeTarGzip([], to: folder.appendingPathComponent("nothing.tar.gz"))
        for submission in try Submission.discover(in: folder).submissions {
            do {
                _ = try submission.unpack(into: folder.appendingPathComponent("staging"))
                Issue.record("\(submission.student): an empty archive must be refused")
            } catch {
                let message = "\(error)"
                #expect(message.hasSuffix("is empty: it holds no files"), "\(message)")
                #expect(!message.contains(folder.path) && !message.contains("/") && !message.contains("\n"), "\(message)")
            }
        }
    }
}
