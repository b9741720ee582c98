import ExerciseSupport

let hintCommand = Command(
    name: "hint",
    summary: "Print a hint for an exercise, one level at a time.",
    usage: "book hint N.M [LEVEL]",
    details: """
    Each exercise has two or three hints: the first says which idea or section of the chapter to
    look at, the next is more concrete, the last comes close to the answer. Without LEVEL you get
    the first; each hint says how to ask for the next. Exercise numbers are chapter.exercise, as
    in the chapter text and `book exercises`.
    """,
    examples: ["swift run book hint 1.3", "swift run book hint 1.3 2"],
    run: { raw in
        let arguments = try Arguments(raw, command: hintCommand)
        try arguments.expectPositionals(1...2)
        let number = arguments.positionals[0]
        guard let exercise = Catalogue.exercise(number) else {
            let known = Catalogue.all.map(\.number).joined(separator: ", ")
            throw UsageError("There is no exercise \(number). Exercises: \(known).", command: hintCommand)
        }
        let count = exercise.hints.count
        var level = 1
        if arguments.positionals.count == 2 {
            guard let asked = Int(arguments.positionals[1]), (1...max(1, count)).contains(asked) else {
                throw UsageError("Exercise \(number) has \(count) hint level(s): ask for 1\(count > 1 ? " to \(count)" : ""), got '\(arguments.positionals[1])'.", command: hintCommand)
            }
            level = asked
        }
        print(hintText(exercise, level: level))
    }
)

/// The hint of one level, with the exercise, its file, and how to get the next level.
func hintText(_ exercise: Exercise, level: Int) -> String {
    let count = exercise.hints.count
    var lines = [
        "Exercise \(exercise.number) \(exercise.starString) \(exercise.title) (\(exercise.points) points)",
        "File: \(exercise.path)",
        "",
    ]
    guard count > 0 else { return (lines + ["This exercise has no hints."]).joined(separator: "\n") }
    lines.append("Hint \(level) of \(count): \(exercise.hints[level - 1])")
    lines.append("")
    if level < count {
        lines.append("Still stuck? The next hint is more concrete: swift run book hint \(exercise.number) \(level + 1)")
    } else {
        lines.append("That was the last hint: it comes close to the answer. Check with: swift run book watch \(exercise.chapter)")
    }
    return lines.joined(separator: "\n")
}

let exercisesCommand = Command(
    name: "exercises",
    summary: "List the exercises, with difficulty and points (runs no tests).",
    usage: "book exercises [CHAPTER]",
    details: "",
    examples: ["swift run book exercises", "swift run book exercises 1"],
    run: { raw in
        let arguments = try Arguments(raw, command: exercisesCommand)
        try arguments.expectPositionals(0...1)
        let chapter = try arguments.positionals.first.map { try parseChapter($0, command: exercisesCommand) }
        for number in Catalogue.chapters where chapter == nil || chapter == number {
            print("Chapter \(number): \(Catalogue.chapterTitles[number] ?? "")")
            for exercise in Catalogue.exercises(inChapter: number) {
                print("  \(exercise.number)  \(exercise.starString)  \(exercise.points.description.padding(toLength: 3, withPad: " ", startingAt: 0)) pts  \(exercise.title)")
            }
        }
    }
)
