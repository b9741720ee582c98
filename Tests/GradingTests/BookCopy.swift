import Foundation
import Grading

/// Frozen copies of the book for the end-to-end tests, kept inside the package in folders git
/// ignores (`.build-*`), so that a second run rebuilds only what changed, and so that edits made
/// to the book while a test builds cannot reach the build.
enum BookCopy {
    /// The pristine book the real-book grading tests grade against: Package.swift, Sources,
    /// Tests, Mutants, the stubs in Exercises and the reference Solutions.
    static func gradingPristine() throws -> URL {
        let copy = bookPackage.appendingPathComponent(".build-grading-e2e/book")
        for item in ["Package.swift", "Sources", "Tests", "Mutants", "Exercises", "Solutions"] {
            try mirror(bookPackage.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        return copy
    }

    /// The sandbox and build folder all real-book grading tests share (one full build in all).
    static var gradingWork: URL { bookPackage.appendingPathComponent(".build-grading-e2e/work") }

    /// The `book` tool built beside this test binary.
    static var bookTool: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("book")
    }

    /// Makes `target` a copy of `source` (file or folder), writing only files that differ, and
    /// removing files `source` does not have.
    static func mirror(_ source: URL, to target: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { return try writeIfChanged(try Data(contentsOf: source), to: target) }
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { !$0.hasPrefix(".") }
        for stale in (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? [] where !names.contains(stale) {
            try FileManager.default.removeItem(at: target.appendingPathComponent(stale))
        }
        for name in names {
            try mirror(source.appendingPathComponent(name), to: target.appendingPathComponent(name))
        }
    }

    static func writeIfChanged(_ data: Data, to url: URL) throws {
        guard (try? Data(contentsOf: url)) != data else { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}
