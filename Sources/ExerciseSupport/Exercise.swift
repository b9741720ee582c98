/// One exercise of the book, as the tests, the `book` tool and the grader all see it.
public struct Exercise: Sendable, Equatable {
    /// The exercise number `"N.M"`: chapter N, exercise M.
    public let number: String
    /// A short title, as printed in the chapter.
    public let title: String
    /// Difficulty from 1 (★) to 3 (★★★).
    public let stars: Int
    /// Points awarded when the exercise's test passes.
    public let points: Int
    /// A hint that points the way without giving the answer.
    public let hint: String

    public init(_ number: String, _ title: String, stars: Int, points: Int, hint: String) {
        precondition((1...3).contains(stars), "Exercise \(number): stars must be 1, 2 or 3, got \(stars)")
        precondition(points > 0, "Exercise \(number): points must be positive, got \(points)")
        self.number = number
        self.title = title
        self.stars = stars
        self.points = points
        self.hint = hint
    }

    /// The chapter the exercise belongs to (the N of `"N.M"`).
    public var chapter: Int { Int(number.split(separator: ".")[0])! }

    /// The position within the chapter (the M of `"N.M"`).
    public var index: Int { Int(number.split(separator: ".")[1])! }

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
