import Foundation
@testable import Grading
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's own defences, without building anything: the seal that finds what a test
/// process changed, the restore that puts the pristine book back, and the comparison of
/// public interfaces.
@Suite("The sandbox: restored before each student, sealed while tests run")
struct SandboxIntegrityTests {
    /// A pristine "book" of three files, and a sandbox made from it.
    func sandbox() throws -> (folder: URL, sandbox: Sandbox) {
        let folder = try ArchiveFixtures.temporaryFolder("sandbox")
        try Fixtures.folder(folder.appendingPathComponent("book"), [
            "Package.swift": "// the manifest\n",
            "Tests/Chapter1Tests/ExerciseTests.swift": "@Test func exercise1_1() { check() }\n",
            "Sources/Module/Module.swift": "public func reference() {}\n",
            "Exercises/Chapter1/Exercises.swift": "public func answer() throws -> Int { throw NotAttempted() }\n",
        ])
        let sandbox = try Sandbox(pristine: folder.appendingPathComponent("book"), work: folder.appendingPathComponent("work"))
        try FileManager.default.createDirectory(at: sandbox.scratch.appendingPathComponent("debug"), withIntermediateDirectories: true)
        try Data("binary".utf8).write(to: sandbox.scratch.appendingPathComponent("debug/BookPackageTests.xctest"))
        return (folder, sandbox)
    }

    func inode(_ url: URL) -> UInt64 {
        var info = stat()
        return lstat(url.path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    // The build folder is sealed and locked on Linux only (see SandboxSeal).
    #if os(Linux)
    @Test("A file written with the same size and its modification time set back is still found, by its change time")
    func sealSeesWhatTimesHide() throws {
        let (folder, sandbox) = try sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seal = SandboxSeal(sandbox)
        #expect(SandboxSeal(sandbox).changes(since: seal) == [])
        seal.waitForLaterFileTimes(probe: folder.appendingPathComponent("clock"))

        // Overwrite the test binary in place (same inode, same size) and put its mtime back.
        let binary = sandbox.scratch.appendingPathComponent("debug/BookPackageTests.xctest")
        var before = stat()
        lstat(binary.path, &before)
        let handle = try FileHandle(forWritingTo: binary)
        try handle.write(contentsOf: Data("forged".utf8))
        try handle.close()
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, binary.path, &times, 0) == 0)
        var after = stat()
        lstat(binary.path, &after)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && after.st_size == before.st_size)
        #expect(SandboxSeal(sandbox).changes(since: seal) == ["build/debug/BookPackageTests.xctest"])
    }

    @Test("Added, removed and rewritten files of the package and the build folder are all named")
    func sealNamesEveryChange() throws {
        let (folder, sandbox) = try sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let seal = SandboxSeal(sandbox)
        try Data("import Testing\n".utf8).write(to: sandbox.package.appendingPathComponent("Tests/Chapter1Tests/ExerciseTests.swift"))
        try Data().write(to: sandbox.scratch.appendingPathComponent("debug/planted.o"))
        try FileManager.default.removeItem(at: sandbox.package.appendingPathComponent("Sources/Module/Module.swift"))
        let changed = SandboxSeal(sandbox).changes(since: seal)
        for path in ["package/Tests/Chapter1Tests/ExerciseTests.swift", "build/debug/planted.o", "package/Sources/Module/Module.swift"] {
            #expect(changed.contains(path), "\(changed)")
        }
    }

    @Test("Repair puts the pristine files back, deletes planted and tampered build products, and leaves untouched files alone")
    func repairUndoesTampering() throws {
        let (folder, sandbox) = try sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = sandbox.package.appendingPathComponent("Package.swift")
        let manifestInode = inode(manifest)
        try sandbox.install(chapter: 1, files: [("Exercises.swift", Data("public func answer() throws -> Int { 42 }\n".utf8))])
        let seal = SandboxSeal(sandbox)

        let tests = sandbox.package.appendingPathComponent("Tests/Chapter1Tests/ExerciseTests.swift")
        try Data("@Test func exercise1_1() {}\n".utf8).write(to: tests)
        try Fixtures.folder(sandbox.package, ["Tests/Chapter1Tests/Extra.swift": "// more tests", "Planted/x.swift": ""])
        try FileManager.default.createSymbolicLink(atPath: sandbox.package.appendingPathComponent("Sources/Link.swift").path,
                                                   withDestinationPath: "/etc/hostname")
        let binary = sandbox.scratch.appendingPathComponent("debug/BookPackageTests.xctest")
        try FileManager.default.removeItem(at: binary)
        try Data("#!/bin/sh\necho forged\n".utf8).write(to: binary)
        try Fixtures.folder(sandbox.scratch, ["debug/Planted.build/fake.o": "object"])

        let changed = SandboxSeal(sandbox).changes(since: seal)
        try sandbox.repair(changed: changed, before: seal)

        #expect(try String(contentsOf: tests, encoding: .utf8) == "@Test func exercise1_1() { check() }\n")
        for path in ["Tests/Chapter1Tests/Extra.swift", "Planted", "Sources/Link.swift"] {
            #expect(!FileManager.default.fileExists(atPath: sandbox.package.appendingPathComponent(path).path), "\(path) stays")
        }
        #expect(!FileManager.default.fileExists(atPath: binary.path), "a tampered build product is deleted, for the next build to make")
        #expect(!FileManager.default.fileExists(atPath: sandbox.scratch.appendingPathComponent("debug/Planted.build").path))
        #expect(FileManager.default.fileExists(atPath: sandbox.scratch.appendingPathComponent("debug").path), "a folder that was there stays")
        #expect(inode(manifest) == manifestInode, "an untouched pristine file is not written again (so nothing is rebuilt for it)")
        #expect(!sandbox.lastBuildSucceeded, "the next submission is built whatever its files")
        #expect(try sandbox.restorePristine() == [], "after the repair, the package is pristine")
        #expect(!sandbox.holdsStubs(chapter: 1), "the student's own exercise files are the student's business")
    }

    @Test("The lock takes write permission away from the grader's own user, and gives it back exactly")
    func lockAndUnlock() throws {
        let (folder, sandbox) = try sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tests = sandbox.package.appendingPathComponent("Tests/Chapter1Tests/ExerciseTests.swift")
        chmod(tests.path, 0o640)
        let lock = SandboxLock.lock(sandbox, foreignUser: false)
        var info = stat()
        lstat(tests.path, &info)
        #expect(info.st_mode & 0o7777 == 0o440)
        lstat(sandbox.scratch.appendingPathComponent("debug").path, &info)
        #expect(info.st_mode & 0o222 == 0, "folders too, so nothing can be added or renamed")
        lock.unlock()
        lstat(tests.path, &info)
        #expect(info.st_mode & 0o7777 == 0o640)

        // When the tests run as another user, only what that user could write is closed.
        chmod(tests.path, 0o666)
        _ = SandboxLock.lock(sandbox, foreignUser: true)
        lstat(tests.path, &info)
        #expect(info.st_mode & 0o7777 == 0o644)
    }
    #endif

    @Test("Extra public symbols, overloads in extensions and changed signatures are all differences; the same interface is none")
    func interfaceDifferences() throws {
        let folder = try ArchiveFixtures.temporaryFolder("symbols")
        defer { try? FileManager.default.removeItem(at: folder) }
        func graph(_ symbols: [(id: String, path: [String], declaration: String)], relationships: [(String, String, String)] = []) -> String {
            let list = symbols.map { symbol in
                """
                {"kind":{"identifier":"swift.func","displayName":"Function"},"identifier":{"precise":"\(symbol.id)","interfaceLanguage":"swift"},
                 "pathComponents":[\(symbol.path.map { "\"\($0)\"" }.joined(separator: ","))],"names":{"title":"\(symbol.path.last!)"},
                 "declarationFragments":[{"kind":"text","spelling":"\(symbol.declaration)"}],"accessLevel":"public"}
                """
            }
            let relations = relationships.map { "{\"kind\":\"\($0.0)\",\"source\":\"\($0.1)\",\"target\":\"\($0.2)\"}" }
            return "{\"module\":{\"name\":\"M\"},\"symbols\":[\(list.joined(separator: ","))],\"relationships\":[\(relations.joined(separator: ","))]}"
        }
        let answer = (id: "s:1M6answerSiyKF", path: ["answer()"], declaration: "func answer() throws -> Int")
        try Fixtures.folder(folder, [
            "stub/M.symbols.json": graph([answer]),
            "same/M.symbols.json": graph([answer]),
            "hijack/M.symbols.json": graph([answer, (id: "s:1M3absyS2dF", path: ["abs(_:)"], declaration: "func abs(_ x: Double) -> Double")]),
            "hijack/M@Swift.symbols.json": graph([(id: "s:Sa1MSfRszlE2eeoiySbSaySfG_ACtFZ", path: ["Array", "==(_:_:)"],
                                                   declaration: "static func == (lhs: [Float], rhs: [Float]) -> Bool")],
                                                 relationships: [("memberOf", "s:Sa1MSfRszlE2eeoiySbSaySfG_ACtFZ", "s:Sa")]),
            "changed/M.symbols.json": graph([(id: "s:1M6answerSiyF", path: ["answer()"], declaration: "func answer() -> Int")]),
            "conformance/M.symbols.json": graph([answer], relationships: [("conformsTo", "s:Sf", "s:1M5FuzzyP")]),
        ])
        let stub = try PublicInterface(symbolGraphs: folder.appendingPathComponent("stub"))
        func differences(_ name: String) throws -> [String] {
            InterfaceCheck.differences(try PublicInterface(symbolGraphs: folder.appendingPathComponent(name)), stub)
        }
        #expect(try differences("same") == [])
        #expect(try differences("hijack") == ["`func abs(_ x: Double) -> Double`", "`in Array: static func == (lhs: [Float], rhs: [Float]) -> Bool`"])
        #expect(try differences("changed") == ["`func answer() -> Int`", "`func answer() throws -> Int` is missing or was changed"])
        #expect(try differences("conformance") == ["`s:Sf conformsTo s:1M5FuzzyP`"])
        let message = InterfaceCheck.message(chapter: 9, extra: try differences("hijack"))
        #expect(message.hasPrefix("Chapter 9 scores 0") && message.contains("func abs(_ x: Double) -> Double") && message.contains("`private`"))
    }
}
