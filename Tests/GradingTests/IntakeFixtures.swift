import ExerciseSupport
import Foundation
import Grading

/// Submissions as students really send them: a clone several folders down, bare `ChapterN`
/// folders, a zip from Windows PowerShell (backslashes, deflated, made on MS-DOS), a clone
/// zipped after `swift test` with the links in `.build` kept.
enum IntakeFixtures {
    /// A zip as Windows PowerShell's `Compress-Archive` writes it: names with `\`, each file
    /// deflated, "made by" MS-DOS (host 0), so no Unix mode travels with the entries.
    static func windowsZip(_ files: [(path: String, text: String)]) throws -> Data {
        var body: [UInt8] = []
        var directory: [UInt8] = []
        for (path, text) in files {
            let name = Array(path.utf8)
            let data = Array(text.utf8)
            let packed = try deflate(data)
            let crc = ZipWriter.crc32(data)
            let offset = UInt32(body.count)
            body += le32(0x0403_4b50) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21)
            body += le32(crc) + le32(UInt32(packed.count)) + le32(UInt32(data.count))
            body += le16(UInt16(name.count)) + le16(0) + name + packed
            directory += le32(0x0201_4b50) + le16(20) + le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21)
            directory += le32(crc) + le32(UInt32(packed.count)) + le32(UInt32(data.count))
            directory += le16(UInt16(name.count)) + le16(0) + le16(0) + le16(0) + le16(0)
            directory += le32(0x20) + le32(offset) + name
        }
        let end = le32(0x0605_4b50) + le16(0) + le16(0) + le16(UInt16(files.count)) + le16(UInt16(files.count))
            + le32(UInt32(directory.count)) + le32(UInt32(body.count)) + le16(0)
        return Data(body + directory + end)
    }

    /// A ZIP64 zip of stored files, as zip tools write one past 65,535 entries: the end record's
    /// count, size and offset read 0xFFFF(FFFF) and the true values are in a ZIP64 end record
    /// found through a locator; each entry's local header offset is in a ZIP64 extra field.
    static func zip64(_ files: [(path: String, text: String)]) -> Data {
        var body: [UInt8] = []
        var directory: [UInt8] = []
        for (path, text) in files {
            let name = Array(path.utf8), data = Array(text.utf8), crc = ZipWriter.crc32(data)
            let offset = UInt64(body.count)
            body += le32(0x0403_4b50) + le16(45) + le16(0) + le16(0) + le16(0) + le16(0x21)
            body += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
            body += le16(UInt16(name.count)) + le16(0) + name + data
            let extra = le16(1) + le16(8) + le64(offset)
            directory += le32(0x0201_4b50) + le16(3 << 8 | 45) + le16(45) + le16(0) + le16(0) + le16(0) + le16(0x21)
            directory += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
            directory += le16(UInt16(name.count)) + le16(UInt16(extra.count)) + le16(0) + le16(0) + le16(0)
            directory += le32(0o100644 << 16) + le32(0xFFFF_FFFF) + name + extra
        }
        let zip64End = UInt64(body.count + directory.count)
        let record = le32(0x0606_4b50) + le64(44) + le16(45) + le16(45) + le32(0) + le32(0)
            + le64(UInt64(files.count)) + le64(UInt64(files.count)) + le64(UInt64(directory.count)) + le64(UInt64(body.count))
        let locator = le32(0x0706_4b50) + le32(0) + le64(zip64End) + le32(1)
        let end = le32(0x0605_4b50) + le16(0) + le16(0) + le16(0xFFFF) + le16(0xFFFF) + le32(0xFFFF_FFFF) + le32(0xFFFF_FFFF) + le16(0)
        return Data(body + directory + record + locator + end)
    }

    /// Raw deflate data, made with the system's `gzip` (its output less the 10-byte header
    /// and the 8-byte trailer, with `-n` so that no name is stored in the header).
    static func deflate(_ data: [UInt8]) throws -> [UInt8] {
        let folder = try ArchiveFixtures.temporaryFolder("deflate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data")
        try Data(data).write(to: file)
        let result = try ChildProcess.run(["gzip", "-n", "-9", "-c", file.path], in: folder, timeout: 60, captureLimit: data.count * 2 + 1024)
        guard result.succeeded, result.bytes.count >= 18 else { throw GradingError("gzip failed: \(result.output)") }
        return Array(result.bytes.dropFirst(10).dropLast(8))
    }

    /// A clone zipped after `swift test`, with `zip -y` (links kept): the answers in
    /// `Exercises/`, the reference answers in `Solutions/`, the book's own files, `.git/`, and
    /// a `.build/` folder whose links point inside it and out of the archive.
    static func builtClone(_ prefix: String, answers: String, solution: String) -> [ArchiveFixtures.Entry] {
        [
            .folder("\(prefix)/"),
            .file("\(prefix)/Package.swift", "// swift-tools-version: 6.0"),
            .file("\(prefix)/Sources/ScalarAutodiff/Value.swift", "public struct Value {}"),
            .file("\(prefix)/Tests/Chapter1Tests/ExerciseTests.swift", "// the book's tests"),
            .file("\(prefix)/Exercises/Chapter1/Exercises.swift", answers),
            .file("\(prefix)/Solutions/Chapter1/Exercises.swift", solution),
            .file("\(prefix)/Mutants/Chapter1/Mutants.swift", "// known wrong answers"),
            .file("\(prefix)/.git/HEAD", "ref: refs/heads/main"),
            .link("\(prefix)/.build/debug", target: "x86_64-unknown-linux-gnu/debug"),
            .link("\(prefix)/.build/x86_64-unknown-linux-gnu/debug/libFoundation.so", target: "/usr/lib/swift/linux/libFoundation.so"),
            .file("\(prefix)/.build/x86_64-unknown-linux-gnu/debug/Exercises/Chapter1/Exercises.swift", "// a stale copy"),
            .file("\(prefix)/.swiftpm/configuration/x", ""),
        ]
    }

    /// A submission of answers for chapter 1, as one line declaring one exercise function.
    static let chapter1Answer = "public func product(_ a: Value, _ b: Value) throws -> Value { a }\n"

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { le16(UInt16(value & 0xffff)) + le16(UInt16(value >> 16)) }
    static func le64(_ value: UInt64) -> [UInt8] { le32(UInt32(value & 0xffff_ffff)) + le32(UInt32(value >> 32)) }

    /// The Swift files `SubmissionFiles` takes from `submission`, unpacked into `staging`.
    static func taken(_ submission: Submission, staging: URL, chapters: [Int] = [1])
        throws -> (files: SubmissionFiles, unpackNotes: [String]) {
        var notes: [String] = []
        let root = try submission.unpack(into: staging, notes: &notes)
        return (SubmissionFiles(root: root, chapters: chapters, api: SubmissionFiles.api(of: sampleIntakeCatalogue)), notes)
    }
}

/// Exercises of chapters 1 and 8 with their functions, to tell a bare `ChapterN` folder of
/// answers from any other folder of that name.
let sampleIntakeCatalogue = [
    Exercise("1.1", "The product node", stars: 1, api: ["product"], hints: ["h"]),
    Exercise("8.1", "Greedy decoding", stars: 1, api: ["greedyDecode"], hints: ["h"]),
]
