import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The package every submission is built in: a copy of the pristine book (`Package.swift`,
/// `Sources/`, `Tests/`, `Mutants/`) with one submission's exercise files in `Exercises/`, and
/// the instructor's hidden tests, if any, in `Tests/ChapterNTests/InstructorTests/`.
///
/// The sandbox and its build folder stay the same from one student to the next, and files are
/// written only when their contents change, so after the first build only the exercise modules
/// that differ (and the test binary) are rebuilt.
public struct Sandbox: Sendable {
    /// What is copied from the pristine package. Nothing else is, and nothing from a submission
    /// but its exercise files.
    public static let pristineItems = ["Package.swift", "Sources", "Tests", "Mutants"]
    /// The folder of each chapter's test target that holds the instructor's hidden tests.
    public static let hiddenTestsFolder = "InstructorTests"

    public let package: URL
    public let scratch: URL
    /// The pristine stubs, by chapter: path inside `Exercises/ChapterN/` and contents.
    public let stubs: [Int: [(path: String, contents: Data)]]
    /// Whether the exercise checks enforce the source rules (always, except in the grader's own
    /// tests of its resource limits, whose runaway submissions need calls the rules refuse).
    public var sourceRules = true
    /// A file that exists while the last build's result stands and was a success.
    let buildMarker: URL
    /// The pristine package's files outside `Exercises/`, by path inside the package
    /// (`Tests/Chapter9Tests/ExerciseTests.swift`), with the hidden tests.
    let pristineFiles: [String: Data]

    /// Reads the pristine package (with the hidden tests of `extraTests`, `ChapterN/*.swift`, in
    /// each chapter's test target) and the stubs of every chapter in its `Exercises/` (graded or
    /// not: a chapter not graded keeps its stub), then makes `work/package` a copy of it. Files
    /// that are already there with the same contents are not touched, so nothing is rebuilt for
    /// them.
    ///
    /// The pristine files are kept in memory (a few megabytes), so that ``restorePristine()``
    /// puts back what the book was when grading began, whatever happens to the instructor's copy.
    public init(pristine: URL, work: URL, extraTests: URL? = nil) throws {
        package = work.appendingPathComponent("package")
        scratch = work.appendingPathComponent("build")
        buildMarker = work.appendingPathComponent("last-build-succeeded")
        var files: [String: Data] = [:]
        for item in Self.pristineItems {
            let source = pristine.appendingPathComponent(item)
            if SubmissionFiles.isFolder(source) {
                for file in SubmissionFiles.walk(source, depth: 16) where file.type == .typeRegular {
                    files["\(item)/\(file.relative)"] = try Data(contentsOf: file.url)
                }
            } else if FileManager.default.fileExists(atPath: source.path) {
                files[item] = try Data(contentsOf: source)
            }
        }
        if let extraTests {
            for chapter in SubmissionFiles.walk(extraTests, depth: 1) where chapter.type == .typeDirectory && chapter.relative.hasPrefix("Chapter") {
                for file in SubmissionFiles.walk(chapter.url, depth: 8) where file.type == .typeRegular && file.relative.hasSuffix(".swift") {
                    files["Tests/\(chapter.relative)Tests/\(Self.hiddenTestsFolder)/\(file.relative)"] = try Data(contentsOf: file.url)
                }
            }
        }
        pristineFiles = files
        var stubs: [Int: [(path: String, contents: Data)]] = [:]
        let chapters = SubmissionFiles.walk(pristine.appendingPathComponent("Exercises"), depth: 1)
            .filter { $0.type == .typeDirectory && $0.relative.hasPrefix("Chapter") }
            .compactMap { Int($0.relative.dropFirst(7)) }
        for chapter in chapters {
            let folder = pristine.appendingPathComponent("Exercises/Chapter\(chapter)")
            let files = SubmissionFiles.walk(folder, depth: 8).filter { $0.type == .typeRegular }
            guard !files.isEmpty else { throw GradingError("the pristine package has no stubs in \(folder.path)") }
            stubs[chapter] = try files.map { ($0.relative, try Data(contentsOf: $0.url)) }
        }
        self.stubs = stubs
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try restorePristine()
    }

    /// Makes everything in the package except `Exercises/` exactly the pristine files again,
    /// comparing contents: a changed file is written back, and anything that is not pristine
    /// (a file, folder or link a test process added, at any depth) is deleted. Unchanged files
    /// keep their timestamps, so nothing is rebuilt for them. Returns the paths it repaired.
    @discardableResult
    public func restorePristine() throws -> [String] {
        let manager = FileManager.default
        var wanted: Set<String> = ["Exercises"]
        for path in pristineFiles.keys {
            var parts = path.split(separator: "/").map(String.init)
            while !parts.isEmpty {
                wanted.insert(parts.joined(separator: "/"))
                parts.removeLast()
            }
        }
        var repaired: [String] = []
        for item in SubmissionFiles.walk(package, depth: 32).reversed() where !item.relative.hasPrefix("Exercises/") {
            let isFile = pristineFiles[item.relative] != nil
            let keep = wanted.contains(item.relative) && (isFile ? item.type == .typeRegular : item.type == .typeDirectory)
            if !keep {
                try manager.removeItem(at: item.url)
                repaired.append(item.relative)
            }
        }
        for (path, contents) in pristineFiles.sorted(by: { $0.key < $1.key })
        where try Self.write(contents, to: package.appendingPathComponent(path)) {
            repaired.append(path)
        }
        return repaired
    }

    /// Makes `Exercises/ChapterN` hold exactly `files`. Returns whether anything changed.
    ///
    /// When something did, the chapter's compiled module is deleted, so the next build compiles
    /// it from scratch rather than trusting timestamps to tell one student's file from the last
    /// one's (a stale module would grade one student's code under another's name).
    @discardableResult
    public func install(chapter: Int, files: [(path: String, contents: Data)]) throws -> Bool {
        let folder = package.appendingPathComponent("Exercises/Chapter\(chapter)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let wanted = Set(files.map(\.path))
        var changed = false
        for item in SubmissionFiles.walk(folder, depth: 8).reversed() where !wanted.contains(item.relative) {
            if item.type != .typeDirectory || (try? FileManager.default.contentsOfDirectory(atPath: item.url.path))?.isEmpty == true {
                try FileManager.default.removeItem(at: item.url)
                changed = true
            }
        }
        for file in files where try Self.write(file.contents, to: folder.appendingPathComponent(file.path)) {
            changed = true
        }
        if changed {
            forgetCompiledModule(chapter: chapter)
        }
        return changed
    }

    /// Deletes the chapter's object files and the compiler's incremental-build records, so the
    /// next build compiles the exercise module again and relinks the tests. (The build plan's
    /// files, such as `output-file-map.json`, stay: SwiftPM does not write them again.)
    func forgetCompiledModule(chapter: Int) {
        for item in SubmissionFiles.walk(moduleBuildFolder(chapter: chapter), depth: 2)
        where [".o", ".swiftdeps", ".priors"].contains(where: item.relative.hasSuffix) {
            try? FileManager.default.removeItem(at: item.url)
        }
    }

    /// Undoes what a test process changed in the sandbox (`changed`: paths of a
    /// ``SandboxSeal``, `package/…` and `build/…`): the package's files go back to pristine, and
    /// every build product changed or added is deleted, so the next build makes it again.
    /// Until then, the last build counts as failed, so the next submission is built whatever
    /// its files.
    public func repair(changed: [String], before: SandboxSeal) throws {
        try? FileManager.default.removeItem(at: buildMarker)
        for path in changed where path.hasPrefix("build/") {
            let url = scratch.appendingPathComponent(String(path.dropFirst("build/".count)))
            var info = stat()
            guard lstat(url.path, &info) == 0 else { continue }
            // A folder that was there before keeps its contents (whatever changed in it is
            // listed on its own); anything else goes.
            let folderBefore = before.files[path].map { $0.mode & UInt32(S_IFMT) == UInt32(S_IFDIR) } ?? false
            if !(folderBefore && info.st_mode & S_IFMT == S_IFDIR) {
                try? FileManager.default.removeItem(at: url)
            }
        }
        try restorePristine()
        for chapter in stubs.keys where changed.contains(where: { $0.hasPrefix("package/Exercises/Chapter\(chapter)/") }) {
            forgetCompiledModule(chapter: chapter)
        }
    }

    /// Where the build keeps the compiled exercise module of a chapter.
    public func moduleBuildFolder(chapter: Int) -> URL {
        scratch.appendingPathComponent("debug/Chapter\(chapter)Exercises.build")
    }

    /// Whether the last build compiled chapter N's exercise module and linked the tests after
    /// `date`: the check that a student is never graded with someone else's build.
    public func builtFresh(chapter: Int, since date: Date) -> Bool {
        let objects = SubmissionFiles.walk(moduleBuildFolder(chapter: chapter), depth: 2).filter { $0.relative.hasSuffix(".o") }
        let binaries = SubmissionFiles.walk(scratch.appendingPathComponent("debug"), depth: 1)
            .filter { $0.relative.hasSuffix("PackageTests.xctest") }
        func modified(_ url: URL) -> Date {
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
        }
        return !objects.isEmpty && objects.allSatisfy { modified($0.url) >= date }
            && binaries.contains { modified($0.url) >= date }
    }

    /// Puts the pristine stub back for a chapter.
    public func installStub(chapter: Int) throws {
        try install(chapter: chapter, files: stubs[chapter] ?? [])
    }

    /// The sandbox as a book to build and test: exercise modules from `Exercises/`, and a crash
    /// prints its message without a slow symbolicated backtrace.
    public var book: BuiltBook {
        var environment = BuiltBook.defaultEnvironment()
        environment["BOOK_EXERCISES"] = "Exercises"
        if !sourceRules { environment["BOOK_SOURCE_RULES"] = "off" }
        return BuiltBook(package: package, scratch: scratch, environment: environment)
    }

    /// `swift build --build-tests` in the sandbox.
    public func build(timeout: Double) throws -> ChildResult {
        try? FileManager.default.removeItem(at: buildMarker)
        let result = try book.build(timeout: timeout)
        if result.succeeded { _ = FileManager.default.createFile(atPath: buildMarker.path, contents: Data()) }
        return result
    }

    /// Whether the last build in this sandbox succeeded (and none has started since).
    public var lastBuildSucceeded: Bool {
        FileManager.default.fileExists(atPath: buildMarker.path)
    }

    /// Whether `Exercises/ChapterN` holds exactly the pristine stubs.
    public func holdsStubs(chapter: Int) -> Bool {
        let folder = package.appendingPathComponent("Exercises/Chapter\(chapter)")
        let present = SubmissionFiles.walk(folder, depth: 8).filter { $0.type == .typeRegular }
        let wanted = stubs[chapter] ?? []
        guard present.count == wanted.count else { return false }
        return wanted.allSatisfy { stub in
            (try? Data(contentsOf: folder.appendingPathComponent(stub.path))) == stub.contents
        }
    }

    /// Writes a file only when its contents differ, so unchanged files keep their timestamps
    /// and the build system does not recompile them.
    @discardableResult
    static func write(_ contents: Data, to url: URL) throws -> Bool {
        var info = stat()
        let regular = lstat(url.path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        if regular, let old = try? Data(contentsOf: url), old == contents { return false }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: url)
        try contents.write(to: url)
        return true
    }
}
