import ExerciseSupport
import Foundation

/// The Swift files a submission contributes, by chapter, and notes on everything passed over.
///
/// Only `ChapterN/**/*.swift` is taken from the submission's exercise folder, for the chapters
/// being graded. That folder is found at any depth (a zipped clone, `course/cleo-repo/
/// Exercises`), and always the same way:
/// 1. an `Exercises` folder holding a `ChapterN` folder of a chapter being graded; of several,
///    the shallowest, then the first in sorted order;
/// 2. failing that, bare `ChapterN` folders (a zip of `Chapter1/` and `Chapter8/`) whose Swift
///    files declare one of that chapter's exercise functions; of several, the shallowest.
/// Folders named `Solutions` or `Mutants` (a clone's reference answers and known wrong
/// answers), hidden folders (`.build`, `.git`, `.swiftpm`) and `__MACOSX` are never searched.
/// The submission's own `Package.swift`, `Tests/`, `Sources/`, other files and symbolic links
/// are never read, and the notes list them.
public struct SubmissionFiles: Sendable {
    /// Largest Swift file taken, and the most taken in all.
    public static let maxFileBytes = 1024 * 1024
    public static let maxTotalBytes = 8 * 1024 * 1024
    /// How deep the exercise folder may be.
    public static let maxDepth = 8

    /// Files by chapter: path inside `Exercises/ChapterN/`, and contents.
    public private(set) var byChapter: [Int: [(path: String, contents: Data)]] = [:]
    public private(set) var notes: [String] = []
    /// The folders graded, by chapter, relative to the submission (`cleo-repo/Exercises/Chapter1`).
    public private(set) var folders: [Int: String] = [:]

    /// Whether any exercise file of a chapter being graded was found.
    public var foundExercises: Bool { !byChapter.isEmpty }

    /// - Parameter api: each chapter's exercise functions (the catalogue's `api`), which tell a
    ///   bare `ChapterN` folder of answers from any other folder of that name.
    public init(root: URL, chapters: [Int], api: [Int: [String]] = [:]) {
        let candidates = Self.candidates(in: root)
        var chosen: [Int: (relative: String, url: URL)] = [:]
        let graded = candidates.exercises.filter { folder in
            chapters.contains { Self.isFolder(folder.url.appendingPathComponent("Chapter\($0)")) }
        }
        if let exercises = graded.first {
            for chapter in chapters where Self.isFolder(exercises.url.appendingPathComponent("Chapter\(chapter)")) {
                chosen[chapter] = (Self.joined(exercises.relative, "Chapter\(chapter)"), exercises.url.appendingPathComponent("Chapter\(chapter)"))
            }
            let depth = exercises.relative.split(separator: "/").count
            if depth > 2 || candidates.exercises.count > 1 {
                let others = candidates.exercises.filter { $0.relative != exercises.relative }.prefix(3).map { "`\($0.relative)/`" }
                notes.append("Graded the exercise folder `\(exercises.relative)/`"
                    + (others.isEmpty ? "." : "; also found \(others.joined(separator: ", ")), not graded (the shallowest folder that holds a chapter being graded is taken)."))
            }
        } else {
            var used: [String] = []
            for chapter in chapters {
                let names = api[chapter] ?? []
                let matching = (candidates.bare[chapter] ?? []).filter { names.isEmpty || Self.declaresAny(of: names, in: $0.url) }
                guard let folder = matching.first else { continue }
                chosen[chapter] = folder
                used.append("`\(folder.relative)/`")
            }
            if !used.isEmpty {
                notes.append("No `Exercises` folder was found, so \(used.joined(separator: ", ")) \(used.count == 1 ? "was" : "were") graded: "
                    + "named for a chapter, \(used.count == 1 ? "it declares" : "each declares") that chapter's exercise functions.")
            }
        }
        let list = chapters.map(String.init).joined(separator: ", ")
        if chosen.isEmpty, let exercises = candidates.exercises.first {
            notes.append("The exercise folder `\(exercises.relative)/` has no `ChapterN` folder for chapter(s) \(list), so nothing was graded.")
            return
        }
        if chosen.isEmpty {
            notes.append("No `Exercises` folder (nor a `ChapterN` folder declaring the exercise functions) was found for chapter(s) \(list), "
                + "so nothing was graded. Submit your clone of the book, or its `Exercises` folder, with your answers in `Exercises/ChapterN/`.")
            notes += Self.unread(in: root, reading: [])
            return
        }
        folders = chosen.mapValues(\.relative)

        var total = 0
        var ignored: [String] = []
        for chapter in chosen.keys.sorted() {
            let (relative, url) = chosen[chapter]!
            for item in Self.walk(url, depth: Self.maxDepth) where item.type != .typeDirectory {
                let shown = Self.joined(relative, item.relative)
                if item.relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                guard item.type == .typeRegular, item.relative.hasSuffix(".swift") else {
                    ignored.append(item.type == .typeSymbolicLink ? shown + " (a symbolic link)" : shown)
                    continue
                }
                guard item.size <= Self.maxFileBytes, total + item.size <= Self.maxTotalBytes,
                      let contents = try? Data(contentsOf: item.url) else {
                    ignored.append(shown + " (too large)")
                    continue
                }
                total += item.size
                byChapter[chapter, default: []].append((item.relative, contents))
            }
        }
        // Beside the chapters, inside an Exercises folder: its own files (a README).
        let parents = Set(chosen.values.map { $0.url.deletingLastPathComponent() })
        for parent in parents where parent.lastPathComponent == "Exercises" {
            let relative = Self.relative(parent, to: root)
            for item in Self.walk(parent, depth: 1) where item.type != .typeDirectory && !item.relative.hasPrefix(".") {
                ignored.append(Self.joined(relative, item.relative) + (item.type == .typeSymbolicLink ? " (a symbolic link)" : ""))
            }
        }
        if !ignored.isEmpty {
            let shown = ignored.sorted().prefix(10).map { "`\($0)`" }.joined(separator: ", ")
            notes.append("Ignored \(ignored.count) file(s): \(shown)\(ignored.count > 10 ? ", …" : ""). Only Swift files in `Exercises/ChapterN/` are graded, and never symbolic links.")
        }
        for chapter in chapters where byChapter[chapter] == nil {
            notes.append("No Swift files for chapter \(chapter) (`Exercises/Chapter\(chapter)/`): its exercises are graded as not attempted.")
        }
        notes += Self.unread(in: root, reading: chosen.values.map(\.relative) + parents.map { Self.relative($0, to: root) })
    }

    /// The folders that could hold the exercises: every `Exercises` folder with a `ChapterN`
    /// inside, and every `ChapterN` folder not inside an `Exercises` folder, by chapter; each
    /// list shallowest first, then sorted.
    static func candidates(in root: URL) -> (exercises: [(relative: String, url: URL)], bare: [Int: [(relative: String, url: URL)]]) {
        var exercises: [(relative: String, url: URL, depth: Int)] = []
        var bare: [Int: [(relative: String, url: URL, depth: Int)]] = [:]
        func search(_ folder: URL, relative: String, depth: Int) {
            guard depth < maxDepth, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
            for name in names.sorted() where !ArchiveValidation.isSkippedName(name) && name != "Solutions" && name != "Mutants" {
                let url = folder.appendingPathComponent(name)
                guard isFolder(url) else { continue }
                let path = joined(relative, name)
                if name == "Exercises", (walk(url, depth: 1).contains { $0.type == .typeDirectory && chapterNumber($0.relative) != nil }) {
                    exercises.append((path, url, depth + 1))
                } else if let chapter = chapterNumber(name) {
                    bare[chapter, default: []].append((path, url, depth + 1))
                } else {
                    search(url, relative: path, depth: depth + 1)
                }
            }
        }
        search(root, relative: "", depth: 0)
        func order<T>(_ list: [(relative: String, url: URL, depth: Int)], _ make: ((String, URL)) -> T) -> [T] {
            list.sorted { ($0.depth, $0.relative) < ($1.depth, $1.relative) }.map { make(($0.relative, $0.url)) }
        }
        return (order(exercises) { (relative: $0.0, url: $0.1) }, bare.mapValues { order($0) { (relative: $0.0, url: $0.1) } })
    }

    /// Each chapter's exercise functions, as ``init(root:chapters:api:)`` takes them.
    public static func api(of exercises: [Exercise]) -> [Int: [String]] {
        Dictionary(grouping: exercises, by: \.chapter).mapValues { $0.flatMap(\.api) }
    }

    /// `N` for a folder named `ChapterN`.
    static func chapterNumber(_ name: String) -> Int? {
        guard name.hasPrefix("Chapter"), let number = Int(name.dropFirst(7)), number > 0, String(number) == name.dropFirst(7) else { return nil }
        return number
    }

    /// Whether a Swift file under `folder` declares one of `names` (`func name`, `struct name`...).
    static func declaresAny(of names: [String], in folder: URL) -> Bool {
        for item in walk(folder, depth: maxDepth) where item.type == .typeRegular && item.relative.hasSuffix(".swift") && item.size <= maxFileBytes {
            guard let text = try? String(contentsOf: item.url, encoding: .utf8) else { continue }
            let words = Set(text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
            guard names.contains(where: words.contains) else { continue }
            let tokens = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }
            for (index, token) in tokens.enumerated().dropLast() where ["func", "struct", "class", "enum", "actor", "typealias"].contains(token) {
                if names.contains(String(tokens[index + 1])) { return true }
            }
        }
        return false
    }

    /// What the submission holds outside the folders read: each item beside the path down to
    /// them, as `clone/Package.swift` or `clone/Tests/`.
    static func unread(in root: URL, reading: [String]) -> [String] {
        var items: [String] = []
        func visit(_ folder: URL, relative: String, depth: Int) {
            guard depth < maxDepth, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
            for name in names.sorted() {
                let path = joined(relative, name)
                let url = folder.appendingPathComponent(name)
                if reading.contains(path) { continue }
                let isDirectory = (try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType) == .typeDirectory
                if isDirectory && reading.contains(where: { $0.hasPrefix(path + "/") }) {
                    visit(url, relative: path, depth: depth + 1)
                } else {
                    items.append(isDirectory ? path + "/" : path)
                }
            }
        }
        visit(root, relative: "", depth: 0)
        guard !items.isEmpty else { return [] }
        let shown = items.prefix(12).map { "`\($0)`" }.joined(separator: ", ")
        return ["Not read (only the exercise folder is graded): \(shown)\(items.count > 12 ? " and \(items.count - 12) more" : "")."]
    }

    static func joined(_ relative: String, _ name: String) -> String {
        relative.isEmpty ? name : relative + "/" + name
    }

    static func relative(_ url: URL, to root: URL) -> String {
        let base = root.standardizedFileURL.path
        let path = url.standardizedFileURL.path
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : ""
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
