import ExerciseReports
import ExerciseSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What to grade and how.
public struct GradingOptions: Sendable {
    /// The pristine book package: its `Package.swift`, `Sources/`, `Tests/` and the stubs in
    /// `Exercises/` are what every submission is graded against.
    public var package: URL
    /// Where the sandbox package, its build folder and unpacked archives live between runs.
    public var work: URL
    /// The chapters to grade.
    public var chapters: [Int]
    /// Seconds allowed to one test process (a chapter's tests, or one test run again alone).
    public var timeout: Double
    /// Seconds allowed to one build.
    public var buildTimeout: Double
    /// Limits on the processes that run student code; nil for none.
    public var limits: ResourceLimits?
    /// The instructor's hidden tests: `FOLDER/ChapterN/*.swift`, joined to chapter N's tests.
    public var extraTests: URL?
    /// Whether feedback quotes the hidden tests' failure messages.
    public var showHidden: Bool
    /// Whether the source rules are enforced. Only the grader's own tests of its resource limits
    /// turn them off: their runaway submissions call what the rules refuse (`fork`, `tmpfile`).
    public var sourceRules = true

    public init(package: URL, work: URL, chapters: [Int], timeout: Double = 60, buildTimeout: Double = 1_800,
                limits: ResourceLimits? = ResourceLimits(), extraTests: URL? = nil, showHidden: Bool = false) {
        self.package = package
        self.work = work
        self.chapters = chapters
        self.timeout = timeout
        self.buildTimeout = buildTimeout
        self.limits = limits
        self.extraTests = extraTests
        self.showHidden = showHidden
    }

    /// The chapters the pristine package can grade: in the catalogue, with stubs in
    /// `Exercises/ChapterN` and tests in `Tests/ChapterNTests`.
    public static func gradableChapters(in package: URL) -> [Int] {
        Catalogue.chapters.filter { chapter in
            SubmissionFiles.isFolder(package.appendingPathComponent("Exercises/Chapter\(chapter)"))
                && SubmissionFiles.isFolder(package.appendingPathComponent("Tests/Chapter\(chapter)Tests"))
        }
    }
}

/// Grades submissions one after another in a single reused sandbox.
///
/// For each submission: unpack it safely, restore everything in the sandbox but `Exercises/` to
/// the pristine book, put its exercise files (and the pristine stubs for chapters it lacks)
/// into the sandbox, build, swap the stub back in for every chapter that does not compile and
/// build again, score 0 every chapter whose exercise module's public interface is not the
/// stubs' (``PublicInterface``), then run each chapter's tests in its own process, with limits
/// on memory, files, processes, CPU and network, and the sandbox locked and sealed
/// (``SandboxLock``, ``SandboxSeal``): if the tests changed it, the grade is void and the
/// sandbox is repaired.
///
/// ```swift
/// let grader = try Grader(GradingOptions(package: book, work: work, chapters: [1]))
/// try grader.prepare()
/// let grade = grader.grade(submission)
/// ```
public struct Grader: Sendable {
    public let options: GradingOptions
    public let sandbox: Sandbox
    /// The sandbox as the tests see it: with the limits, and a folder to write in.
    public let book: BuiltBook
    /// What the limits could not do on this machine, for the instructor.
    public let limitNotes: [String]

    /// The exercises graded, in catalogue order.
    public let exercises: [Exercise]
    /// The tests each chapter's run reported on the stubs (filled in by ``prepare()``): every
    /// later run must report exactly these, each once.
    let expectedTests = ExpectedTests()

    /// A grader for the chapters in `options`, with points from `catalogue` (the book's own,
    /// unless a test grades a made-up package).
    public init(_ options: GradingOptions, catalogue: [Exercise] = Catalogue.all) throws {
        self.options = options
        exercises = catalogue.filter { options.chapters.contains($0.chapter) }
        var sandbox = try Sandbox(pristine: options.package, work: options.work, extraTests: options.extraTests)
        sandbox.sourceRules = options.sourceRules
        self.sandbox = sandbox
        var book = sandbox.book
        var notes: [String] = []
        // Tests write only here, outside the sandbox, which must be the same after them.
        book.runFolder = options.work.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: book.runFolder, withIntermediateDirectories: true)
        if let limits = options.limits {
            let enforcement = limits.enforcement(runningIn: sandbox.package)
            notes = enforcement.notes
            book.limits = ChildLimits(limits, enforcement: enforcement)
            #if os(Linux)
            if enforcement.dropsPrivileges {
                // The tests, run as an unprivileged user, write their temporary files here.
                chown(book.runFolder.path, limits.runAs.uid, limits.runAs.gid)
            }
            #endif
        }
        self.book = book
        limitNotes = notes
        if let folder = options.extraTests {
            try HiddenTests.check(folder, chapters: options.chapters, catalogue: catalogue)
        }
    }

    /// Builds the sandbox with every stub in place and checks that every exercise test ends "not
    /// attempted" on them, so that a broken pristine package is found before any student is
    /// graded, and the first student's build starts warm.
    public func prepare() throws {
        for chapter in Self.allChapters(sandbox) { try sandbox.installStub(chapter: chapter) }
        let result = try sandbox.build(timeout: options.buildTimeout)
        guard result.succeeded else {
            throw GradingError("the pristine package (with the hidden tests, if any) does not build in the sandbox \(sandbox.package.path):\n"
                + CompilerErrors(buildOutput: result.output, sandbox: sandbox.package.path).unattributed.prefix(10).joined(separator: "\n")
                + "\n" + String(result.output.suffix(2_000)))
        }
        // The stubs' public interface, which every submission's must equal.
        for chapter in options.chapters {
            _ = try publicInterface(chapter: chapter, into: stubInterfaceFolder(chapter: chapter))
        }
        // A chapter a student sends no files for is graded from these stubs, so they must be
        // real stubs: an instructor's own answers left in Exercises/ would be free points. (And
        // a hidden test must not pass on a stub either.)
        let tests = chapterTests(showHidden: true)
        for chapter in options.chapters {
            let (results, reported) = try tests.inventory(exercises.filter { $0.chapter == chapter })
            expectedTests.set(chapter, reported)
            let unexpected = results.filter { $0.status != .notAttempted }
            guard unexpected.isEmpty else {
                let list = unexpected.map { "\($0.exercise.number) \($0.status.rawValue)\($0.messages.first.map { ": \($0.prefix(300))" } ?? "")" }
                throw GradingError("on the untouched stubs of Exercises/Chapter\(chapter) in \(options.package.path), every exercise test "
                    + "(the book's and the hidden ones) must end \"not attempted\", but: " + list.joined(separator: "; ")
                    + ". Grade from a clean clone of the book (git checkout Exercises), and make each hidden test call the student's function through runExercise.")
            }
        }
    }

    /// The machinery that runs one chapter's tests, hiding the hidden tests' details unless
    /// asked.
    func chapterTests(showHidden: Bool) -> ChapterTests {
        ChapterTests(book: book, timeout: options.timeout, hiddenPathMarker: "/\(Sandbox.hiddenTestsFolder)/",
                     showHidden: showHidden, expectedTests: expectedTests.all)
    }

    /// Grades one submission. Never throws: whatever goes wrong becomes part of the grade.
    public func grade(_ submission: Submission, progress: (String) -> Void = { _ in }) -> StudentGrade {
        do {
            return try gradeOrThrow(submission, progress: progress)
        } catch {
            let grades = exercises.map { ExerciseResult($0, .notRun) }
            return StudentGrade(student: submission.student, grades: grades,
                                notes: ["The submission could not be graded: \(error)"], status: .graderError)
        }
    }

    func gradeOrThrow(_ submission: Submission, progress: (String) -> Void) throws -> StudentGrade {
        progress("unpacking")
        let root: URL
        var unpackNotes: [String] = []
        do {
            root = try submission.unpack(into: options.work.appendingPathComponent("unpacked"), notes: &unpackNotes)
        } catch {
            // Nothing of a refused archive is built or run: every exercise scores 0, and the
            // one note says why.
            let grades = exercises.map { ExerciseResult($0, .notAttempted) }
            return StudentGrade(student: submission.student, grades: grades,
                                notes: ["The submission was refused, so nothing in it was graded: \(error)."], status: .refused("\(error)"))
        }
        let files = SubmissionFiles(root: root, chapters: options.chapters, api: SubmissionFiles.api(of: exercises))
        guard files.foundExercises else {
            // Nothing to build or run: the notes say what was found instead.
            return StudentGrade(student: submission.student, grades: exercises.map { ExerciseResult($0, .notAttempted) },
                                notes: unpackNotes + files.notes, status: .noExercisesFound)
        }
        // Whatever happened before, this student starts from the pristine book.
        let repaired = try sandbox.restorePristine()
        emptyRunFolder()
        if !repaired.isEmpty { progress("restored \(repaired.count) file(s) of the sandbox to the pristine book") }
        let installed = Date()
        var changed: [Int] = []
        for chapter in Self.allChapters(sandbox) {
            let mine = options.chapters.contains(chapter) ? files.byChapter[chapter] : nil
            if try sandbox.install(chapter: chapter, files: mine ?? sandbox.stubs[chapter] ?? []) {
                changed.append(chapter)
            }
        }

        // Nothing changed since the last build (the same files as the previous student): no build.
        var broken: [Int: [String]] = [:]
        if !changed.isEmpty || !sandbox.lastBuildSucceeded {
            progress("building")
            broken = try buildReplacingBrokenChapters(submitted: Set(files.byChapter.keys), progress: progress)
            for chapter in changed where broken[chapter] == nil && !sandbox.builtFresh(chapter: chapter, since: installed) {
                throw GradingError("the build did not recompile chapter \(chapter)'s files, so the results could belong to another submission; grade this one again")
            }
        }

        var grades: [ExerciseResult] = []
        var notes = unpackNotes + files.notes
        let tests = chapterTests(showHidden: options.showHidden)
        // The public interfaces are all read before any student code runs.
        var interfaces: [Int: [String]] = [:]
        let toCheck = options.chapters.filter { broken[$0] == nil && !sandbox.holdsStubs(chapter: $0) }
        if !toCheck.isEmpty { progress("reading public interfaces") }
        for chapter in toCheck {
            interfaces[chapter] = try extraPublicDeclarations(chapter: chapter)
        }
        var status: SubmissionStatus?
        var seal: (lock: SandboxLock, before: SandboxSeal)?
        defer { seal?.lock.unlock() }
        var testError: (any Error)?
        for chapter in options.chapters {
            let mine = exercises.filter { $0.chapter == chapter }
            if let errors = broken[chapter] {
                grades += mine.map { ExerciseResult($0, .didNotCompile, messages: errors) }
            } else if sandbox.holdsStubs(chapter: chapter) {
                // The untouched stubs: prepare() saw each of their tests end "not attempted".
                grades += mine.map { ExerciseResult($0, .notAttempted) }
            } else if let extra = interfaces[chapter], !extra.isEmpty {
                let message = InterfaceCheck.message(chapter: chapter, extra: extra)
                notes.append(message)
                grades += mine.map { ExerciseResult($0, .failed, messages: [message]) }
            } else {
                guard tests.expectedTests?[chapter] != nil else {
                    throw GradingError("chapter \(chapter)'s tests were not taken stock of on the stubs: call prepare() before grading")
                }
                if seal == nil {
                    // Nothing in the sandbox may change while student code runs.
                    let lock = SandboxLock.lock(sandbox, foreignUser: book.limits?.dropPrivileges == true)
                    let before = SandboxSeal(sandbox)
                    before.waitForLaterFileTimes(probe: book.runFolder.appendingPathComponent("clock"))
                    seal = (lock, before)
                }
                progress("testing chapter \(chapter)")
                do {
                    grades += try tests.run(mine).map(explainingLimits)
                } catch {
                    // The check below comes first: a sandbox the tests broke must be repaired.
                    testError = error
                    break
                }
            }
        }
        if let (lock, before) = seal {
            let changed = SandboxSeal(sandbox).changes(since: before)
            lock.unlock()
            seal = nil
            if !changed.isEmpty {
                progress("the tests changed the sandbox: repairing it")
                try sandbox.repair(changed: changed, before: before)
                let message = InterfaceCheck.tamperingMessage(changed: changed)
                notes.append(message)
                grades = exercises.map { ExerciseResult($0, .failed, messages: [message]) }
                testError = nil
                status = .void
            }
        }
        if let testError { throw testError }
        var sources: [Int: [SourceFile]] = [:]
        for (chapter, list) in files.byChapter {
            sources[chapter] = list.map { SourceFile(path: $0.path, contents: $0.contents) }
        }
        return StudentGrade(student: submission.student, grades: grades, notes: notes, sources: sources, status: status)
    }

    /// Deletes whatever earlier tests left in the folder tests write in.
    func emptyRunFolder() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: book.runFolder.path)) ?? [] {
            try? FileManager.default.removeItem(at: book.runFolder.appendingPathComponent(name))
        }
    }

    /// Where prepare() keeps the symbol graph of a chapter's stubs.
    func stubInterfaceFolder(chapter: Int) -> URL {
        options.work.appendingPathComponent("interfaces/stubs/Chapter\(chapter)")
    }

    /// The public interface of chapter N's exercise module as last built, read into `folder`.
    func publicInterface(chapter: Int, into folder: URL) throws -> PublicInterface {
        try PublicInterface.extract(module: "Chapter\(chapter)Exercises", scratch: sandbox.scratch, into: folder,
                                    environment: book.environment, timeout: options.buildTimeout)
    }

    /// The public declarations of the built exercise module of a chapter that its stubs do
    /// not have (or that differ from theirs), in words.
    func extraPublicDeclarations(chapter: Int) throws -> [String] {
        let stubFolder = stubInterfaceFolder(chapter: chapter)
        guard let stub = try? PublicInterface(symbolGraphs: stubFolder) else {
            throw GradingError("the stubs' public interface of chapter \(chapter) is missing from \(stubFolder.path): prepare() the grader first")
        }
        let mine = try publicInterface(chapter: chapter, into: options.work.appendingPathComponent("interfaces/submission/Chapter\(chapter)"))
        return InterfaceCheck.differences(mine, stub)
    }

    /// A crash that came from running out of the memory the grader allows, said in words.
    func explainingLimits(_ result: ExerciseResult) -> ExerciseResult {
        guard result.status == .crashed, let limits = book.limits?.limits else { return result }
        let text = result.messages.joined(separator: "\n").lowercased()
        guard text.contains("allocat") || text.contains("out of memory") || text.contains("(sigkill)") else { return result }
        return ExerciseResult(result.exercise, .crashed, messages: result.messages + [
            "\(result.exercise.number) ran out of the memory the grader allows (\(limits.memoryBytes / 1_048_576) MB per process).",
        ])
    }

    /// Builds; while the build fails, puts the pristine stub back for each chapter the errors
    /// point at and builds again. Returns the replaced chapters with their first errors.
    func buildReplacingBrokenChapters(submitted: Set<Int>, progress: (String) -> Void) throws -> [Int: [String]] {
        var broken: [Int: [String]] = [:]
        var result = try sandbox.build(timeout: options.buildTimeout)
        while !result.succeeded {
            let errors = CompilerErrors(buildOutput: result.output, sandbox: sandbox.package.path)
            var newlyBroken = errors.byChapter.keys.filter { submitted.contains($0) && broken[$0] == nil }
            var messages = errors.byChapter
            if newlyBroken.isEmpty {
                // Errors that name no chapter (a link error, a timeout): no chapter can be
                // blamed, so every submitted chapter not yet replaced is.
                newlyBroken = submitted.filter { broken[$0] == nil }.sorted()
                guard !newlyBroken.isEmpty else {
                    throw GradingError("the sandbox does not build even with every stub in place:\n" + result.output.suffix(2_000))
                }
                let text = result.termination == .timedOut
                    ? ["The build ran past \(Int(options.buildTimeout)) seconds and was stopped."]
                    : (errors.unattributed.isEmpty ? [String(result.output.suffix(1_500))] : errors.unattributed)
                for chapter in newlyBroken { messages[chapter] = text }
            }
            for chapter in newlyBroken {
                let lines = HiddenTests.compilerErrors(messages[chapter] ?? [], show: options.showHidden)
                broken[chapter] = Array(lines.prefix(10)).map { $0.capped(1_000) }
                try sandbox.installStub(chapter: chapter)
            }
            progress("building again without chapter(s) \(newlyBroken.sorted().map(String.init).joined(separator: ", "))")
            result = try sandbox.build(timeout: options.buildTimeout)
        }
        return broken
    }

    /// Every chapter with stubs, graded or not: chapters not graded keep their stubs.
    static func allChapters(_ sandbox: Sandbox) -> [Int] {
        sandbox.stubs.keys.sorted()
    }
}

/// The tests each chapter's run must report, learned from the stubs' run in `prepare()`.
final class ExpectedTests: @unchecked Sendable {
    private let lock = NSLock()
    private var byChapter: [Int: Set<String>] = [:]

    func set(_ chapter: Int, _ tests: Set<String>) { lock.withLock { byChapter[chapter] = tests } }
    var all: [Int: Set<String>] { lock.withLock { byChapter } }
}
