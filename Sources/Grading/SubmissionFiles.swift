import Foundation

/// The Swift files a submission contributes, by chapter, and notes on everything passed over.
///
/// Only `Exercises/ChapterN/**/*.swift` is taken, for the chapters being graded. The
/// `Exercises` folder may sit at the top of the submission or one folder down (a zipped clone,
/// `jane/EncoderDecoderBook-main/Exercises`). A submission's own `Package.swift`, `Tests/`,
/// `Sources/`, other files and symbolic links are never read.
public struct SubmissionFiles: Sendable {
    /// Largest Swift file taken, and the most taken in all.
    public static let maxFileBytes = 1024 * 1024
    public static let maxTotalBytes = 8 * 1024 * 1024

    /// Files by chapter: path inside `Exercises/ChapterN/`, and contents.
    public private(set) var byChapter: [Int: [(path: String, contents: Data)]] = [:]
    public private(set) var notes: [String] = []

    public init(root: URL, chapters: [Int]) {
        guard let exercises = Self.exercisesFolder(in: root, notes: &notes) else {
            notes.append("No `Exercises` folder was found (at the top, or one folder down): every exercise is graded as not attempted.")
            return
        }
        var total = 0
        var ignored: [String] = []
        for item in Self.walk(exercises, depth: 8) where item.type != .typeDirectory {
            let parts = item.relative.split(separator: "/").map(String.init)
            let chapter = parts.count >= 2 && parts[0].hasPrefix("Chapter") ? Int(parts[0].dropFirst(7)) : nil
            guard item.type == .typeRegular, item.relative.hasSuffix(".swift"),
                  let chapter, chapters.contains(chapter) else {
                if item.type == .typeSymbolicLink {
                    ignored.append(item.relative + " (a symbolic link)")
                } else if chapter == nil || chapters.contains(chapter!) {
                    ignored.append(item.relative)
                }
                continue
            }
            guard item.size <= Self.maxFileBytes, total + item.size <= Self.maxTotalBytes,
                  let contents = try? Data(contentsOf: item.url) else {
                ignored.append(item.relative + " (too large)")
                continue
            }
            total += item.size
            byChapter[chapter, default: []].append((parts.dropFirst().joined(separator: "/"), contents))
        }
        if !ignored.isEmpty {
            let shown = ignored.sorted().prefix(10).map { "`Exercises/\($0)`" }.joined(separator: ", ")
            notes.append("Ignored \(ignored.count) file(s): \(shown)\(ignored.count > 10 ? ", …" : ""). Only Swift files in `Exercises/ChapterN/` are graded, and never symbolic links.")
        }
        for chapter in chapters where byChapter[chapter] == nil {
            notes.append("No Swift files for chapter \(chapter) (`Exercises/Chapter\(chapter)/`): its exercises are graded as not attempted.")
        }
    }

    /// `root/Exercises`, or `root/X/Exercises` for exactly one or the first sorted X.
    static func exercisesFolder(in root: URL, notes: inout [String]) -> URL? {
        if isFolder(root.appendingPathComponent("Exercises")) { return root.appendingPathComponent("Exercises") }
        let candidates = walk(root, depth: 1)
            .filter { $0.type == .typeDirectory && !$0.relative.hasPrefix(".") && $0.relative != "__MACOSX" }
            .map { $0.url.appendingPathComponent("Exercises") }
            .filter(isFolder)
            .sorted { $0.path < $1.path }
        if candidates.count > 1 {
            notes.append("Found \(candidates.count) `Exercises` folders one level down; graded the first, `\(candidates[0].deletingLastPathComponent().lastPathComponent)/Exercises`.")
        }
        return candidates.first
    }

    static func isFolder(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType) == .typeDirectory
    }

    /// One item found by ``walk(_:depth:)``: never followed through a symbolic link.
    struct Item {
        let url: URL
        let relative: String
        let type: FileAttributeType
        let size: Int
    }

    /// Everything under `folder` down to `depth` levels, without following symbolic links
    /// (`attributesOfItem` describes a link itself, not what it points to).
    static func walk(_ folder: URL, depth: Int, prefix: String = "") -> [Item] {
        guard depth > 0, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var items: [Item] = []
        for name in names.sorted() {
            let url = folder.appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
                  let type = attributes[.type] as? FileAttributeType else { continue }
            let relative = prefix + name
            items.append(Item(url: url, relative: relative, type: type, size: (attributes[.size] as? Int) ?? 0))
            if type == .typeDirectory {
                items += walk(url, depth: depth - 1, prefix: relative + "/")
            }
        }
        return items
    }
}
