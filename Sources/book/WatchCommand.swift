import ExerciseSupport
import Foundation
import Grading

let watchCommand = Command(
    name: "watch",
    summary: "Check a chapter's exercises again every time you save one of its files.",
    usage: "book watch CHAPTER [--timeout S]",
    details: """
    Shows the chapter's exercise results (as `book progress CHAPTER`), then watches
    Exercises/ChapterN: each time a file there is saved (it looks twice a second), it rebuilds
    and checks the chapter again. A build error is shown and the watch goes on. Ctrl-C stops
    it, with every process it started.

    \(StudentRun.timeoutHelp)
    """,
    examples: ["swift run book watch 1", "swift run book watch 8 --timeout 20"],
    run: { raw in
        let arguments = try Arguments(raw, command: watchCommand, options: ["timeout"])
        try arguments.expectPositionals(1...1)
        let chapter = try parseChapter(arguments.positionals[0], command: watchCommand)
        let timeout = try arguments.intOption("timeout", default: 60, in: 1...86_400)
        ActiveChild.killOnInterrupt()
        let book = try StudentRun.currentBook()
        let folderName = "\(book.exercisesFolder)/Chapter\(chapter)"
        let folder = book.package.appendingPathComponent(folderName)
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw CommandFailure("There is no folder \(folderName) to watch.")
        }
        let clearScreen = isatty(STDOUT_FILENO) != 0
        var seen = FolderSnapshot(folder)
        var saved: [String] = []
        while true {
            // The snapshot is taken before checking, so a save during the build is seen next.
            if clearScreen { print("\u{1B}[2J\u{1B}[H", terminator: "") }
            if !saved.isEmpty { print("Saved: \(saved.joined(separator: ", ")). Checking again...") }
            try check(book, chapter: chapter, timeout: Double(timeout))
            print("\n[\(clock())] Watching \(folderName)/ for saves. Ctrl-C to stop.")
            fflush(nil)
            while true {
                Thread.sleep(forTimeInterval: FolderSnapshot.pollInterval)
                let now = FolderSnapshot(folder)
                let changed = now.changes(since: seen)
                guard !changed.isEmpty else { continue }
                // An editor may write a file in more than one step: let it finish.
                Thread.sleep(forTimeInterval: 0.1)
                seen = FolderSnapshot(folder)
                saved = changed
                print("[\(clock())] Saved: \(changed.joined(separator: ", "))")
                fflush(nil)
                break
            }
        }
    }
)

/// One round of the watch: build, then check the chapter, or show the compiler's errors.
private func check(_ book: BuiltBook, chapter: Int, timeout: Double) throws {
    let status = StatusLine()
    if let errors = try StudentRun.build(book, status: status) {
        print("Chapter \(chapter): the book did not build. The compiler said:\n")
        print(errors.prefix(15).joined(separator: "\n"))
        return
    }
    let results = try StudentRun.results(book, chapters: [chapter], timeout: timeout, status: status)
    print(chapterDetail(chapter, results: results))
}

private func clock() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "HH:mm:ss"
    return formatter.string(from: Date())
}
