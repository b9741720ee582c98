/// One entry of a submitted archive, as its listing describes it, before anything is written.
public struct ArchiveEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file
        case directory
        /// A symbolic link, hard link, device, FIFO or anything else that is not plain data.
        case link
        case other
    }

    /// The name as the archive writes it (Windows tools may separate folders with `\`).
    public let path: String
    public let kind: Kind
    /// Size when unpacked, in bytes.
    public let size: Int
    /// What a link points to, when the archive says; nil for everything else.
    public let linkTarget: String?

    public init(path: String, kind: Kind, size: Int, linkTarget: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.linkTarget = linkTarget
    }

    /// The path's folder names, with `\` read as a separator (Windows PowerShell's
    /// `Compress-Archive` writes `Exercises\Chapter1\Exercises.swift`) and `.` dropped.
    public var components: [String] { ArchiveValidation.components(path) }
}

/// The checks every archive passes before anything in it is unpacked, and what is unpacked.
///
/// The archive is refused whole when any entry, wherever it is, could write outside the folder
/// it is unpacked into: an absolute path (`/etc/passwd`, `C:\x`, `\\server\share`), a `..`
/// component, a NUL in a name; or when a link that would be read points outside the archive.
///
/// Entries under a folder whose name starts with a dot (`.build/`, `.git/`, `.swiftpm/`), hidden
/// files (`.DS_Store`) and `__MACOSX/` are skipped: never unpacked, never read, links there
/// included, so a zipped clone after `swift test` is graded. Every other link is passed over
/// (never created); the limits (``maxEntries``, ``maxBytes``) count what is unpacked only.
public enum ArchiveValidation {
    /// The most files and folders unpacked.
    public static let maxEntries = 10_000
    /// The most bytes unpacked.
    public static let maxBytes = 200 * 1024 * 1024
    /// The most entries listed in all, skipped ones included.
    public static let maxListedEntries = 1_000_000
    /// The largest archive, and the largest tar stream a `.tar.gz` decompresses to.
    public static let maxArchiveBytes = 4 * 1024 * 1024 * 1024

    /// What to do with an archive's entries.
    public struct Plan: Sendable, Equatable {
        /// The indices of the files and folders to write, in archive order.
        public var unpack: [Int] = []
        /// How many entries were skipped (hidden folders and files, `__MACOSX/`).
        public var skipped = 0
        /// The outermost skipped names, as `clone/.build/`.
        public var skippedNames: [String] = []
        /// Links outside the skipped folders that point inside the archive: never created.
        public var ignoredLinks: [String] = []

        /// Sentences for the student's feedback about what was not unpacked.
        public var notes: [String] {
            var notes: [String] = []
            if skipped > 0 {
                let names = skippedNames.prefix(6).map { "`\($0)`" }.joined(separator: ", ")
                notes.append("Skipped \(skipped) archive entr\(skipped == 1 ? "y" : "ies") in hidden folders and files "
                    + "(\(names)\(skippedNames.count > 6 ? ", …" : "")): never unpacked or read.")
            }
            if !ignoredLinks.isEmpty {
                let names = ignoredLinks.prefix(6).map { "`\($0)`" }.joined(separator: ", ")
                notes.append("Ignored \(ignoredLinks.count) symbolic link(s) (\(names)\(ignoredLinks.count > 6 ? ", …" : "")): links are never followed.")
            }
            return notes
        }
    }

    /// What to unpack, or a ``GradingError`` saying why the archive is refused.
    public static func plan(_ entries: [ArchiveEntry]) throws -> Plan {
        if entries.count > maxListedEntries {
            throw GradingError("it has \(entries.count) entries (the limit is \(maxListedEntries))")
        }
        var plan = Plan()
        var total = 0
        for entry in entries {
            if let problem = pathProblem(entry.path) {
                throw GradingError("entry \(quoted(entry.path)) \(problem)")
            }
        }
        for (index, entry) in entries.enumerated() {
            let components = entry.components
            if let hidden = components.firstIndex(where: isSkippedName) {
                plan.skipped += 1
                let name = components[...hidden].joined(separator: "/") + (hidden < components.count - 1 || entry.kind == .directory ? "/" : "")
                if !plan.skippedNames.contains(name) && !plan.skippedNames.contains(where: { name.hasPrefix($0) && $0.hasSuffix("/") }) {
                    plan.skippedNames.append(name)
                }
                continue
            }
            switch entry.kind {
            case .link:
                if let problem = linkProblem(components, target: entry.linkTarget) {
                    throw GradingError("entry \(quoted(entry.path)) \(problem)")
                }
                plan.ignoredLinks.append(components.joined(separator: "/"))
                continue
            case .other:
                throw GradingError("entry \(quoted(entry.path)) is not a regular file, folder or link")
            case .file, .directory:
                break
            }
            plan.unpack.append(index)
            if plan.unpack.count > maxEntries {
                throw GradingError("it has more than \(maxEntries) files and folders outside its hidden folders")
            }
            total += max(0, entry.size)
            if total > maxBytes {
                throw GradingError("its files outside hidden folders unpack to more than \(maxBytes / 1024 / 1024) MB")
            }
        }
        return plan
    }

    /// Why the archive must not be unpacked, or nil when it may.
    public static func problem(with entries: [ArchiveEntry]) -> String? {
        do {
            _ = try plan(entries)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Whether an entry may be unpacked, judged alone (its path and kind): what a streaming
    /// reader keeps the data of.
    public static func mayUnpack(_ entry: ArchiveEntry) -> Bool {
        entry.kind == .file && pathProblem(entry.path) == nil && !entry.components.contains(where: isSkippedName)
    }

    /// A hidden name (`.build`, `.git`, `.DS_Store`) or macOS's `__MACOSX`.
    public static func isSkippedName(_ name: String) -> Bool {
        name.hasPrefix(".") || name == "__MACOSX"
    }

    /// The path's components: `\` and `/` both separate, empty and `.` components are dropped.
    public static func components(_ path: String) -> [String] {
        path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init).filter { $0 != "." }
    }

    /// What is wrong with one entry's path, or nil when it stays inside the unpacking folder.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "has an empty name" }
        if path.contains("\0") { return "has a NUL character in its name" }
        if path.hasPrefix("/") || path.hasPrefix("\\") { return "has an absolute path" }
        if path.count >= 2, path.dropFirst().first == ":" { return "has a drive-letter path" }
        let parts = components(path)
        if parts.contains("..") { return "has a '..' component" }
        if parts.isEmpty { return "has an empty name" }
        return nil
    }

    /// Why a link that is not skipped makes the archive unsafe: it points at an absolute path,
    /// or climbs out of the archive. Nil when it points inside (it is then simply not created).
    static func linkProblem(_ components: [String], target: String?) -> String? {
        guard let target, !target.isEmpty else { return "is a link whose target the archive does not give" }
        if target.hasPrefix("/") || target.hasPrefix("\\") || (target.count >= 2 && target.dropFirst().first == ":") {
            return "is a link to an absolute path, outside the archive"
        }
        var depth = components.count - 1
        for part in ArchiveValidation.components(target) {
            depth += part == ".." ? -1 : 1
            if depth < 0 { return "is a link that points outside the archive" }
        }
        return nil
    }

    static func quoted(_ path: String) -> String {
        "'" + String(path.prefix(200)) + (path.count > 200 ? "…" : "") + "'"
    }
}
