/// One exercise of the book, as the tests, the `book` tool and the grader all see it.
public struct Exercise: Sendable, Equatable {
    /// The exercise number `"N.M"`: chapter N, exercise M.
    public let number: String
    /// A short title, as printed in the chapter.
    public let title: String
    /// Difficulty from 1 (★) to 3 (★★★).
    public let stars: Int
    /// Hints in levels, shown one at a time and only when asked for (`book hint N.M LEVEL`):
    /// the first names the idea or section to look at, the next is more concrete, the last
    /// comes close to the answer.
    public let hints: [String]
    /// The names the exercise asks the student to write: its functions and types. They are
    /// the only names exercise code may make public, and where the forbidden-symbol search
    /// starts.
    public let api: [String]
    /// Reference functions of the book that do this exercise's work, which an answer may not
    /// call (see ``SourceRules``).
    public let forbidden: [String]
    /// The file of `Exercises/ChapterN/` that holds the exercise.
    public let file: String

    public init(_ number: String, _ title: String, stars: Int, api: [String], forbidden: [String] = [],
                file: String = "Exercises.swift", hints: [String]) {
        precondition((1...3).contains(stars), "Exercise \(number): stars must be 1, 2 or 3, got \(stars)")
        precondition(!api.isEmpty, "Exercise \(number): name the function the student writes")
        self.number = number
        self.title = title
        self.stars = stars
        self.hints = hints
        self.api = api
        self.forbidden = forbidden
        self.file = file
    }

    /// Points awarded when the exercise's test passes. They follow difficulty:
    /// ★ 5, ★★ 10, ★★★ 25 (a ★★★ exercise builds, and often trains, a whole component).
    public var points: Int { [5, 10, 25][stars - 1] }

    /// The chapter the exercise belongs to (the N of `"N.M"`).
    public var chapter: Int { Int(number.split(separator: ".")[0])! }

    /// The position within the chapter (the M of `"N.M"`).
    public var index: Int { Int(number.split(separator: ".")[1])! }

    /// The exercise's file, from the top of the book: `Exercises/Chapter8/Exercises.swift`.
    public var path: String { "Exercises/Chapter\(chapter)/\(file)" }

    /// Difficulty as stars, for tables: `"★★☆"`.
    public var starString: String {
        String(repeating: "★", count: stars) + String(repeating: "☆", count: 3 - stars)
    }

    /// The name of the test function that checks this exercise: `exercise1_3` for `"1.3"`.
    ///
    /// Every exercise test in `Tests/ChapterNTests` uses this name, which is how the progress
    /// report and the grader find an exercise's result in Swift Testing's event stream.
    public var testFunctionName: String {
        "exercise" + number.replacingOccurrences(of: ".", with: "_")
    }
}

private extension String {
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
