import Foundation
import Grading
import Testing

@Suite("Grading: archive entries are checked before anything is unpacked")
struct GradingArchiveTests {
    @Test("Paths that stay inside the folder pass", arguments: [
        "Exercises/Chapter1/Exercises.swift", "./Exercises/", "repo-main/Exercises/Chapter1/a b.swift", "..hidden/x",
    ])
    func safePaths(path: String) {
        #expect(ArchiveValidation.pathProblem(path) == nil, "\(path) should be accepted")
    }

    @Test("Paths that could escape the folder are rejected", arguments: [
        "../escape.swift", "Exercises/../../escape.swift", "/etc/passwd", "a\\..\\b", "C:/x", "", "a\0b", "..",
    ])
    func unsafePaths(path: String) {
        #expect(ArchiveValidation.pathProblem(path) != nil, "\(path.debugDescription) should be rejected")
    }

    @Test("Links, devices, too many entries and too many bytes are rejected")
    func unsafeEntries() {
        let file = ArchiveEntry(path: "a.swift", kind: .file, size: 10)
        #expect(ArchiveValidation.problem(with: [file]) == nil)
        #expect(ArchiveValidation.problem(with: [file, ArchiveEntry(path: "l", kind: .link, size: 0)])?.contains("link") == true)
        #expect(ArchiveValidation.problem(with: [ArchiveEntry(path: "fifo", kind: .other, size: 0)]) != nil)
        let bomb = ArchiveEntry(path: "big", kind: .file, size: ArchiveValidation.maxBytes + 1)
        #expect(ArchiveValidation.problem(with: [bomb])?.contains("MB") == true)
        let many = Array(repeating: file, count: ArchiveValidation.maxEntries + 1)
        #expect(ArchiveValidation.problem(with: many)?.contains("more than \(ArchiveValidation.maxEntries) files") == true)
    }

    @Test("The zip listing reads names, kinds and sizes from the central directory")
    func zipListing() throws {
        let data = ArchiveFixtures.zip([
            .folder("repo/"), .file("repo/Exercises/Chapter1/E.swift", "let x = 1\n"), .link("repo/link", target: "/etc"),
        ])
        let entries = try ZipListing.entries(of: data)
        #expect(entries == [
            ArchiveEntry(path: "repo/", kind: .directory, size: 0),
            ArchiveEntry(path: "repo/Exercises/Chapter1/E.swift", kind: .file, size: 10),
            ArchiveEntry(path: "repo/link", kind: .link, size: 4, linkTarget: "/etc"),
        ])
        #expect(throws: GradingError.self) { try ZipListing.entries(of: Data("not a zip at all, just text".utf8)) }
    }

    @Test("The tar reader reads ustar entries and rejects a damaged header")
    func tarReading() throws {
        var bytes = ArchiveFixtures.tar([.folder("Exercises/"), .file("Exercises/Chapter1/E.swift", "let y = 2\n"), .link("l", target: "/")])
        let archive = try TarArchive(bytes: bytes)
        #expect(archive.entries == [
            ArchiveEntry(path: "Exercises/", kind: .directory, size: 0),
            ArchiveEntry(path: "Exercises/Chapter1/E.swift", kind: .file, size: 10),
            ArchiveEntry(path: "l", kind: .link, size: 0, linkTarget: "/"),
        ])
        bytes[3] ^= 0xff
        #expect(throws: GradingError.self) { try TarArchive(bytes: bytes) }
    }

    @Test("A hostile archive is refused whole and writes nothing, inside or outside the staging folder",
          arguments: ["../escape.swift", "/tmp/grading-absolute-escape.swift", "link"])
    func hostileArchivesWriteNothing(entry: String) throws {
        let folder = try ArchiveFixtures.temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad: ArchiveFixtures.Entry = entry == "link" ? .link("Exercises", target: "..") : .file(entry, "pwned")
        let entries: [ArchiveFixtures.Entry] = [.file("Exercises/Chapter1/E.swift", "let z = 3\n"), bad]
        try ArchiveFixtures.zip(entries).write(to: folder.appendingPathComponent("zipped.zip"))
        try ArchiveFixtures.writeTarGzip(entries, to: folder.appendingPathComponent("tarred.tar.gz"))
        let staging = folder.appendingPathComponent("staging/inner")
        for name in ["zipped.zip", "tarred.tar.gz"] {
            let submission = try #require(try Submission.discover(in: folder).submissions.first { $0.url.lastPathComponent == name })
            #expect(throws: GradingError.self, "\(name) with \(entry) should be refused") { try submission.unpack(into: staging) }
            #expect((try? FileManager.default.contentsOfDirectory(atPath: staging.path))?.isEmpty ?? true,
                    "\(name): nothing may be unpacked from a refused archive")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("staging/escape.swift").path))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/grading-absolute-escape.swift"))
    }

    @Test("A clean zip and a clean tar.gz unpack to the same files")
    func cleanArchivesUnpack() throws {
        let folder = try ArchiveFixtures.temporaryFolder("clean")
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries: [ArchiveFixtures.Entry] = [.folder("repo/"), .file("repo/Exercises/Chapter1/E.swift", "let w = 4\n")]
        try ArchiveFixtures.zip(entries).write(to: folder.appendingPathComponent("ann.zip"))
        try ArchiveFixtures.writeTarGzip(entries, to: folder.appendingPathComponent("ben.tar.gz"))
        let found = try Submission.discover(in: folder).submissions
        #expect(found.map(\.student) == ["ann", "ben"])
        for submission in found {
            let root = try submission.unpack(into: folder.appendingPathComponent("staging-\(submission.student)"))
            let files = SubmissionFiles(root: root, chapters: [1])
            #expect(files.byChapter[1]?.map(\.path) == ["E.swift"], "\(submission.student): \(files.notes)")
            #expect(files.byChapter[1]?.first.map { String(decoding: $0.contents, as: UTF8.self) } == "let w = 4\n")
        }
    }
}
