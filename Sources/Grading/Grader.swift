import ExerciseSupport
import Foundation

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

    public init(package: URL, work: URL, chapters: [Int], timeout: Double = 60, buildTimeout: Double = 1_800) {
        self.package = package
        self.work = work
        self.chapters = chapters
        self.timeout = timeout
        self.buildTimeout = buildTimeout
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
/// For each submission: unpack it safely, put its exercise files (and the pristine stubs for
/// chapters it lacks) into the sandbox, build, swap the stub back in for every chapter that
/// does not compile and build again, then run each chapter's tests in its own process.
///
/// ```swift
/// let grader = try Grader(GradingOptions(package: book, work: work, chapters: [1]))
/// try grader.prepare()
/// let grade = grader.grade(submission)
/// ```
public struct Grader: Sendable {
    public let options: GradingOptions
    public let sandbox: Sandbox

    /// The exercises graded, in catalogue order.
    public let exercises: [Exercise]

    /// A grader for the chapters in `options`, with points from `catalogue` (the book's own,
    /// unless a test grades a made-up package).
    public init(_ options: GradingOptions, catalogue: [Exercise] = Catalogue.all) throws {
        self.options = options
        exercises = catalogue.filter { options.chapters.contains($0.chapter) }
        sandbox = try Sandbox(pristine: options.package, work: options.work)
    }

    /// Builds the sandbox with every stub in place and checks that every exercise test ends "not
    /// attempted" on them, so that a broken pristine package is found before any student is
    /// graded, and the first student's build starts warm.
    public func prepare() throws {
        for chapter in Self.allChapters(sandbox) { try sandbox.installStub(chapter: chapter) }
        let result = try sandbox.build(timeout: options.buildTimeout)
        guard result.succeeded else {
            throw GradingError("the pristine package does not build in the sandbox \(sandbox.package.path):\n"
                + CompilerErrors(buildOutput: result.output, sandbox: sandbox.package.path).unattributed.prefix(10).joined(separator: "\n")
                + "\n" + String(result.output.suffix(2_000)))
        }
        // A chapter a student sends no files for is graded from these stubs, so they must be
        // real stubs: an instructor's own answers left in Exercises/ would be free points.
        let tests = ChapterTests(sandbox: sandbox, timeout: options.timeout)
        for chapter in options.chapters {
            let unexpected = try tests.grade(exercises.filter { $0.chapter == chapter }).filter { $0.status != .notAttempted }
            guard unexpected.isEmpty else {
                let list = unexpected.map { "\($0.exercise.number) \($0.status.rawValue)" }.joined(separator: ", ")
                throw GradingError("Exercises/Chapter\(chapter) in \(options.package.path) is not the untouched stubs "
                    + "(\(list)). Grade from a clean clone of the book, or put the stubs back (git checkout Exercises).")
            }
        }
    }

    /// Grades one submission. Never throws: whatever goes wrong becomes part of the grade.
    public func grade(_ submission: Submission, progress: (String) -> Void = { _ in }) -> StudentGrade {
        do {
            return try gradeOrThrow(submission, progress: progress)
        } catch {
            let grades = exercises.map { ExerciseGrade($0, .notRun) }
            return StudentGrade(student: submission.student, grades: grades,
                                notes: ["The submission could not be graded: \(error)"])
        }
    }

    func gradeOrThrow(_ submission: Submission, progress: (String) -> Void) throws -> StudentGrade {
        progress("unpacking")
        let root: URL
        do {
            root = try submission.unpack(into: options.work.appendingPathComponent("unpacked"))
        } catch {
            let grades = exercises.map { ExerciseGrade($0, .notAttempted) }
            return StudentGrade(student: submission.student, grades: grades,
                                notes: ["The submission was refused: \(error). Every exercise is graded as not attempted."])
        }
        let files = SubmissionFiles(root: root, chapters: options.chapters)
        let installed = Date()
        var changed: [Int] = []
        for chapter in Self.allChapters(sandbox) {
            let mine = options.chapters.contains(chapter) ? files.byChapter[chapter] : nil
            if try sandbox.install(chapter: chapter, files: mine ?? sandbox.stubs[chapter] ?? []) {
                changed.append(chapter)
            }
        }

        progress("building")
        let broken = try buildReplacingBrokenChapters(submitted: Set(files.byChapter.keys), progress: progress)
        for chapter in changed where broken[chapter] == nil && !sandbox.builtFresh(chapter: chapter, since: installed) {
            throw GradingError("the build did not recompile chapter \(chapter)'s files, so the results could belong to another submission; grade this one again")
        }

        var grades: [ExerciseGrade] = []
        let tests = ChapterTests(sandbox: sandbox, timeout: options.timeout)
        for chapter in options.chapters {
            let mine = exercises.filter { $0.chapter == chapter }
            if let errors = broken[chapter] {
                grades += mine.map { ExerciseGrade($0, .didNotCompile, messages: errors) }
            } else {
                progress("testing chapter \(chapter)")
                grades += try tests.grade(mine)
            }
        }
        return StudentGrade(student: submission.student, grades: grades, notes: files.notes)
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
                broken[chapter] = Array((messages[chapter] ?? []).prefix(10)).map { $0.capped(1_000) }
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
