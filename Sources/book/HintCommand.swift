import ExerciseSupport

let hintCommand = Command(
    name: "hint",
    summary: "Print the hint for an exercise.",
    usage: "book hint N.M",
    details: "Exercise numbers are chapter.exercise, as in the chapter text and `book exercises`.",
    examples: ["swift run book hint 1.3"],
    run: { raw in
        let arguments = try Arguments(raw, command: hintCommand)
        try arguments.expectPositionals(1...1)
        let number = arguments.positionals[0]
        guard let exercise = Catalogue.exercise(number) else {
            let known = Catalogue.all.map(\.number).joined(separator: ", ")
            throw UsageError("There is no exercise \(number). Exercises: \(known).", command: hintCommand)
        }
        print("Exercise \(exercise.number) \(exercise.starString) \(exercise.title) (\(exercise.points) points)")
        print("File: Exercises/Chapter\(exercise.chapter)/")
        print("Hint: \(exercise.hints[0])")
    }
)

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
