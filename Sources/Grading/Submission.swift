import Foundation

/// One student's entry in the submissions folder: a folder, a `.zip`, or a `.tar.gz`/`.tgz`.
public struct Submission: Sendable, Equatable {
    public enum Format: Sendable, Equatable { case folder, zip, tarGzip }

    /// The student's name: the entry's name without its archive extension.
    public let student: String
    public let url: URL
    public let format: Format

    /// The submissions in `folder`, sorted by student, and the entries that are not one
    /// (with why). Hidden entries (`.DS_Store`) are passed over silently.
    public static func discover(in folder: URL) throws -> (submissions: [Submission], skipped: [String]) {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: folder.path).sorted()
        var submissions: [Submission] = []
        var skipped: [String] = []
        for name in names where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let type = try? manager.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType
            let lower = name.lowercased()
            if type == .typeDirectory {
                submissions.append(Submission(student: name, url: url, format: .folder))
            } else if type == .typeRegular, lower.hasSuffix(".zip") {
                submissions.append(Submission(student: String(name.dropLast(4)), url: url, format: .zip))
            } else if type == .typeRegular, lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
                let cut = lower.hasSuffix(".tgz") ? 4 : 7
                submissions.append(Submission(student: String(name.dropLast(cut)), url: url, format: .tarGzip))
            } else if type == .typeSymbolicLink {
                skipped.append("\(name): a symbolic link, not graded")
            } else {
                skipped.append("\(name): not a folder, .zip or .tar.gz, not graded")
            }
        }
        // Two entries for one name (jane/ and jane.zip) keep their full names, so neither is lost.
        let counts = Dictionary(grouping: submissions, by: \.student).mapValues(\.count)
        submissions = submissions.map { submission in
            guard counts[submission.student]! > 1 else { return submission }
            return Submission(student: submission.url.lastPathComponent, url: submission.url, format: submission.format)
        }
        return (submissions.sorted { $0.student < $1.student }, skipped)
    }

    /// The folder holding the submission's files: the folder itself, or the archive unpacked
    /// into `staging` (emptied first) after every entry passed ``ArchiveValidation``.
    public func unpack(into staging: URL) throws -> URL {
        switch format {
        case .folder:
            return url
        case .zip:
            try Self.emptyFolder(staging)
            let entries = try ZipListing.entries(of: try Self.read(url))
            if let problem = ArchiveValidation.problem(with: entries) {
                throw GradingError("the zip file was not unpacked: \(problem)")
            }
            // Every name is checked, so `unzip` writes only inside staging. `-qq` quiet, `-o`
            // overwrite without asking, no `-:` (which would allow `..`).
            let result = try ChildProcess.run(["unzip", "-qq", "-o", url.path, "-d", staging.path],
                                              in: staging, timeout: 120)
            if result.termination == .exited(127) {
                throw GradingError("the grader needs the `unzip` tool for .zip submissions, and it is not installed (on Debian or Ubuntu: apt-get install unzip)")
            }
            guard result.succeeded else {
                throw GradingError("unzip could not unpack the zip file: " + result.output.capped(500))
            }
            try Self.removeLinks(in: staging)
            return staging
        case .tarGzip:
            try Self.emptyFolder(staging)
            let limit = ArchiveValidation.maxBytes + 1024 * 1024
            let result = try ChildProcess.run(["gzip", "-dc", url.path], in: staging, timeout: 120, captureLimit: limit)
            guard result.succeeded else {
                throw GradingError("gzip could not decompress the file: " + String(decoding: result.bytes.prefix(300), as: UTF8.self))
            }
            guard result.droppedBytes == 0 else {
                throw GradingError("the archive unpacks to more than \(ArchiveValidation.maxBytes / 1024 / 1024) MB")
            }
            let archive = try TarArchive(bytes: result.bytes)
            if let problem = ArchiveValidation.problem(with: archive.entries) {
                throw GradingError("the tar file was not unpacked: \(problem)")
            }
            try archive.extract(to: staging)
            return staging
        }
    }

    static func read(_ url: URL) throws -> Data {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= ArchiveValidation.maxBytes else {
            throw GradingError("the file is larger than \(ArchiveValidation.maxBytes / 1024 / 1024) MB")
        }
        return try Data(contentsOf: url)
    }

    static func emptyFolder(_ folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A second line of defence after unzip: nothing that is not a file or folder survives.
    static func removeLinks(in folder: URL) throws {
        for item in SubmissionFiles.walk(folder, depth: 12) where item.type != .typeRegular && item.type != .typeDirectory {
            try FileManager.default.removeItem(at: item.url)
        }
    }
}
