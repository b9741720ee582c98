import Foundation

/// A copy of the book and the folder it is built in: the grader's sandbox, or the student's
/// own clone for `book progress` and `book watch`.
///
/// ```swift
/// let book = BuiltBook(package: clone, scratch: clone.appendingPathComponent(".build"))
/// let build = try book.build(timeout: 3_600)
/// let results = try ChapterTests(book: book, timeout: 60).run(Catalogue.exercises(inChapter: 8))
/// ```
public struct BuiltBook: Sendable {
    /// The package folder (the one with `Package.swift`).
    public let package: URL
    /// The build folder (`swift build --scratch-path`).
    public let scratch: URL
    /// The environment of builds and test runs. It decides `BOOK_EXERCISES`, the folder the
    /// exercise modules are compiled from, so builds and tests must share it.
    public let environment: [String: String]
    /// Limits on the test processes, which run student code (the grader's; none for a
    /// student's own loop).
    public var limits: ChildLimits?
    /// Where test processes write (temporary files, and off Linux their event stream): a
    /// folder the user they run as may write to.
    public var runFolder: URL

    public init(package: URL, scratch: URL, environment: [String: String] = BuiltBook.defaultEnvironment(),
                limits: ChildLimits? = nil, runFolder: URL? = nil) {
        self.package = package
        self.scratch = scratch
        self.environment = environment
        self.limits = limits
        self.runFolder = runFolder ?? scratch
    }

    /// This process's environment, with crashes printing their message without a slow
    /// symbolicated backtrace (the exercise tests report a crash in one line of their own).
    public static func defaultEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment["BOOK_SOURCE_RULES"] = nil   // the rules are never off by accident
        return environment
    }

    /// The folder the exercise modules are compiled from, relative to the package:
    /// `$BOOK_EXERCISES`, or `Exercises`.
    public var exercisesFolder: String {
        environment["BOOK_EXERCISES"] ?? "Exercises"
    }

    /// `swift build --build-tests`, stopped (with everything it started) after `timeout` seconds.
    public func build(timeout: Double) throws -> ChildResult {
        try ChildProcess.run(
            ["swift", "build", "--build-tests", "--scratch-path", scratch.path],
            in: package, environment: environment, timeout: timeout, captureLimit: 512 * 1024)
    }

    /// The command that runs the built tests. On Linux the test bundle is an executable and is
    /// run directly (about 30 ms, where `swift test --skip-build` takes about a second).
    public func testCommand() throws -> [String] {
        #if os(Linux)
        let folder = scratch.appendingPathComponent("debug")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let binary = names.first(where: { $0.hasSuffix("PackageTests.xctest") }) else {
            throw GradingError("no test binary (*PackageTests.xctest) in \(folder.path) after the build")
        }
        return [folder.appendingPathComponent(binary).path, "--testing-library", "swift-testing"]
        #else
        return ["swift", "test", "--skip-build", "--scratch-path", scratch.path]
        #endif
    }
}
