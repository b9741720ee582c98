/// One entry of a submitted archive, as its listing describes it, before anything is written.
public struct ArchiveEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file
        case directory
        /// A symbolic link, hard link, device, FIFO or anything else that is not plain data.
        case link
        case other
    }

    public let path: String
    public let kind: Kind
    /// Size when unpacked, in bytes.
    public let size: Int

    public init(path: String, kind: Kind, size: Int) {
        self.path = path
        self.kind = kind
        self.size = size
    }
}

/// The checks every archive passes before anything in it is unpacked.
///
/// An archive is rejected whole when an entry could write outside the folder it is unpacked
/// into, or is not plain data:
/// - an absolute path (`/etc/passwd`, `C:\x`), or a `..` component anywhere (`a/../../x`);
/// - a backslash or NUL in a name (read as a separator or terminator by some tools);
/// - a symbolic or hard link (a later entry could write through it), a device or a FIFO;
/// - more than ``maxEntries`` entries or ``maxBytes`` unpacked bytes (an archive bomb).
public enum ArchiveValidation {
    public static let maxEntries = 10_000
    public static let maxBytes = 200 * 1024 * 1024

    /// Why the archive must not be unpacked, or nil when every entry is safe.
    public static func problem(with entries: [ArchiveEntry]) -> String? {
        if entries.count > maxEntries {
            return "it has \(entries.count) entries (the limit is \(maxEntries))"
        }
        var total = 0
        for entry in entries {
            if let problem = pathProblem(entry.path) {
                return "entry \(quoted(entry.path)) \(problem)"
            }
            switch entry.kind {
            case .link: return "entry \(quoted(entry.path)) is a link"
            case .other: return "entry \(quoted(entry.path)) is not a regular file or folder"
            case .file, .directory: break
            }
            total += max(0, entry.size)
            if total > maxBytes {
                return "it unpacks to more than \(maxBytes / 1024 / 1024) MB"
            }
        }
        return nil
    }

    /// What is wrong with one entry's path, or nil when it stays inside the unpacking folder.
    public static func pathProblem(_ path: String) -> String? {
        if path.isEmpty { return "has an empty name" }
        if path.contains("\0") { return "has a NUL character in its name" }
        if path.contains("\\") { return "has a backslash in its name" }
        if path.hasPrefix("/") { return "has an absolute path" }
        if path.count >= 2, path.dropFirst().first == ":" { return "has a drive-letter path" }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        if components.contains("..") { return "has a '..' component" }
        if components.isEmpty { return "has an empty name" }
        return nil
    }

    static func quoted(_ path: String) -> String {
        "'" + String(path.prefix(200)) + (path.count > 200 ? "…" : "") + "'"
    }
}
