import ExerciseSupport
import Foundation
import Testing

/// Every exercise check runs in a child process of its own, so that a trap or an endless loop
/// in a student's answer costs only that exercise: the chapter's other tests still report and
/// the run ends with its summary. Swift Testing's exit tests provide the child; an exercise test
/// reads
///
/// ```swift
/// @Test("Exercise 8.2 ★ Length normalisation")
/// func exercise8_2() async {
///     reportExercise("8.2", await #expect(processExitsWith: .success, observing: childOutput) {
///         try runExercise("8.2") { try checkLengthNormalisation($0, normalisedScore) }
///     })
/// }
/// ```
///
/// In the child, ``runExercise(_:sourceLocation:_:)`` checks the chapter's source against the
/// rules (``SourceRules``), arms a crash reporter and a watchdog, then runs the check. Issues it
/// records reach the parent, and "not attempted" cancels the parent's test. In the parent,
/// ``reportExercise(_:_:sourceLocation:)`` turns a crash or a timeout into one line, such as
/// `8.3 crashed: Index out of range at Exercises/Chapter8/Exercises.swift:42`, and passes on
/// what the answer printed. A child costs about a tenth of a second.

/// What the parent observes of the child: everything it printed. (Every exercise test reads
/// this in the parent before it starts its first child, which is when the test process closes
/// itself to its children: ``TestProcessGuard``.)
public let childOutput: [any PartialKeyPath<ExitTest.Result> & Sendable] = {
    TestProcessGuard.arm()
    return [\.standardOutputContent, \.standardErrorContent]
}()

/// The limit on one exercise check, in seconds: `BOOK_EXERCISE_TIMEOUT`, or 30.
public var exerciseTimeLimit: Double {
    ProcessInfo.processInfo.environment["BOOK_EXERCISE_TIMEOUT"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 30
}

/// Runs one exercise's check in the child process of its exit test.
///
/// - Parameters:
///   - number: the exercise, such as `"8.2"`.
///   - check: the chapter's check, given a ``Checker`` and calling the student's function.
public func runExercise(_ number: String, sourceLocation: SourceLocation = #_sourceLocation,
                        _ check: (Checker) throws -> Void) throws {
    CrashReporter.arm()
    Watchdog.start(seconds: exerciseTimeLimit)
    // The last thing the child says, however the check ends (a stub's cancellation throws):
    // a child that exits with success without it was ended by the code it ran.
    defer { ChildOutput.writeMarker(ChildOutput.finishedMarker) }
    guard let exercise = Catalogue.exercise(number) else {
        Issue.record("There is no exercise \(number) in the catalogue.", sourceLocation: sourceLocation)
        return
    }
    let broken = ExerciseFolder.ruleViolations(of: exercise)
    guard broken.isEmpty else {
        for message in childIssues(broken) { Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation) }
        return
    }
    let checker = Checker(number)
    do {
        try check(checker)
    } catch let stub as NotAttempted {
        if checker.failures.isEmpty {
            try Test.cancel(Comment(rawValue: stub.description), sourceLocation: sourceLocation)
        }
        checker.fail("Part of \(number) is still a stub: \(stub)")
    } catch {
        checker.fail("\(number) threw an error the check did not expect: \(error)")
    }
    for failure in childIssues(checker.failures) {
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
    }
}

/// The issues a child records, kept few and short. They reach the parent through a pipe that
/// Swift Testing reads only once the child has ended, so a child that records more than the
/// pipe holds (64 KB on Linux) would block for ever: an answer's error that describes itself
/// in a megabyte did exactly that.
func childIssues(_ messages: [String], count: Int = 8, length: Int = 2_000) -> [String] {
    var kept = messages.prefix(count).map { message in
        message.count > length ? String(message.prefix(length)) + "… (\(message.count - length) more characters)" : message
    }
    if messages.count > count { kept.append("… and \(messages.count - count) more") }
    return kept
}

/// Reports, in the parent, how an exercise's child ended: a crash or a timeout as one line
/// naming the reason and the student's file and line, and whatever the answer printed.
public func reportExercise(_ number: String, _ result: ExitTest.Result?, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let result else {
        Issue.record(Comment(rawValue: "\(number) crashed: the check's process ended without a report (killed, perhaps for using too much memory)."),
                     sourceLocation: sourceLocation)
        return
    }
    let output = ChildOutput(standardOutput: result.standardOutputContent, standardError: result.standardErrorContent)
    if let problem = output.problem(exercise: number) {
        Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
    } else if result.exitStatus == .exitCode(EXIT_SUCCESS), !output.finished {
        Issue.record(Comment(rawValue: "\(number)'s check ended before it finished: does the code call exit()? "
            + "An answer must return its result (or throw), never end the process."), sourceLocation: sourceLocation)
    }
    let printed = output.studentText
    if !printed.isEmpty {
        let shown = printed.count > 4000 ? String(printed.prefix(4000)) + "\n… (\(printed.count - 4000) more characters)" : printed
        print(shown.split(separator: "\n", omittingEmptySubsequences: false).map { "[\(number)] \($0)" }.joined(separator: "\n"))
    }
}

/// Where the exercise files are, and the rules check over them.
enum ExerciseFolder {
    /// The top of the book, found from this file's place in `Sources/ExerciseTesting/`.
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The folder the exercise modules are compiled from: `Exercises`, or `$BOOK_EXERCISES`
    /// (absolute, or relative to the top of the book), as in Package.swift.
    static func chapterFolder(_ chapter: Int) -> URL {
        let name = ProcessInfo.processInfo.environment["BOOK_EXERCISES"] ?? "Exercises"
        let base = name.hasPrefix("/") ? URL(fileURLWithPath: name) : root.appendingPathComponent(name)
        return base.appendingPathComponent("Chapter\(chapter)")
    }

    /// The rules the chapter's files break that concern this exercise. (`BOOK_SOURCE_RULES=off`
    /// skips them; the grader never passes it on, except in its own tests of its resource limits.)
    static func ruleViolations(of exercise: Exercise) -> [String] {
        if ProcessInfo.processInfo.environment["BOOK_SOURCE_RULES"] == "off" { return [] }
        let folder = chapterFolder(exercise.chapter)
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return ["Could not read the exercise files in \(folder.path) to check \(exercise.number)'s rules."]
        }
        var files: [SourceRules.File] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                return ["Could not read \(url.path) as UTF-8 text to check \(exercise.number)'s rules."]
            }
            let relative = url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.path
            files.append(SourceRules.File(path: relative, source: text))
        }
        return SourceRules.violations(of: exercise, in: files.sorted { $0.path < $1.path },
                                      chapterAPI: Catalogue.api(ofChapter: exercise.chapter))
    }
}

/// Stops a check that runs too long: prints a marker the parent reads, and exits.
enum Watchdog {
    static func start(seconds: Double) {
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            fflush(nil)
            ChildOutput.writeMarker("timeout \(Int(seconds.rounded()))")
            _exit(0)
        }
        thread.start()
    }
}
