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
        var notes: [String] = []
        return try unpack(into: staging, notes: &notes)
    }

    /// The same, adding to `notes` what was skipped in the archive (hidden folders such as
    /// `.build/`, links). Throws a ``GradingError`` that says why an archive is refused, in
    /// words for the student (never a path of the instructor's machine).
    public func unpack(into staging: URL, notes: inout [String]) throws -> URL {
        switch format {
        case .folder:
            return url
        case .zip:
            try Self.emptyFolder(staging)
            let source = try ArchiveBytes(file: url)
            guard source.size <= ArchiveValidation.maxArchiveBytes else {
                throw GradingError("the zip file is larger than \(ArchiveValidation.maxArchiveBytes / 1024 / 1024 / 1024) GB")
            }
            let items: [ZipListing.Item]
            do {
                items = try ZipListing.items(in: source)
            } catch {
                throw GradingError("the zip file could not be read: \(error)")
            }
            guard !items.isEmpty else { throw GradingError("the zip file is empty: it holds no files") }
            let plan: ArchiveValidation.Plan
            do {
                plan = try ArchiveValidation.plan(items.map(\.entry))
            } catch {
                throw GradingError("the zip file was not unpacked: \(error)")
            }
            let chosen = plan.unpack.map { items[$0] }
            let contents: [[UInt8]]
            do {
                contents = try ZipListing.data(of: chosen.filter { $0.entry.kind == .file }, in: source)
            } catch {
                throw GradingError("the zip file was not unpacked: \(error)")
            }
            var next = contents.makeIterator()
            for item in chosen {
                try Self.write(item.entry, data: item.entry.kind == .file ? next.next() ?? [] : [], into: staging)
            }
            notes += plan.notes
            return staging
        case .tarGzip:
            try Self.emptyFolder(staging)
            let archive: TarArchive
            let plan: ArchiveValidation.Plan
            do {
                archive = try TarArchive.readGzip(url)
                guard !archive.entries.isEmpty else { throw GradingError("the tar file is empty: it holds no files") }
                plan = try ArchiveValidation.plan(archive.entries)
            } catch let error as GradingError where error.description.hasPrefix("the tar file is empty") {
                throw error
            } catch {
                throw GradingError("the tar file was not unpacked: \(error)")
            }
            try archive.extract(plan, to: staging)
            notes += plan.notes
            return staging
        }
    }

    /// Writes one checked entry (a file or a folder) under `folder`, by its components.
    static func write(_ entry: ArchiveEntry, data: [UInt8], into folder: URL) throws {
        let components = entry.components
        guard !components.isEmpty else { return }
        let target = components.reduce(folder) { $0.appendingPathComponent($1) }
        do {
            switch entry.kind {
            case .directory:
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            case .file:
                try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(data).write(to: target)
            case .link, .other:
                return
            }
        } catch {
            throw GradingError("entry \(ArchiveValidation.quoted(entry.path)) could not be written (a file and a folder with the same name?)")
        }
    }

    static func emptyFolder(_ folder: URL) throws {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
}
