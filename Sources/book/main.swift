import Foundation

// The `book` tool: progress on the exercises, hints, chapter demos, and checks for CI.
//
//     swift run book                  # your progress, chapter by chapter
//     swift run book watch 1          # chapter 1's results, again at every save
//     swift run book hint 1.3         # the first hint for exercise 1.3 (then `hint 1.3 2`)
//     swift run book demo 1           # chapter 1's demo
//     swift run book help demo        # help for one command

/// Every subcommand, in the order `book help` lists them.
let commands: [Command] = [progressCommand, watchCommand, exercisesCommand, hintCommand, demoCommand, bleuCommand, rougeCommand,
                           gradeCommand, similarityCommand, gradescopeCommand, verifyCommand]

func topLevelHelp() -> String {
    var text = """
    book: the command-line companion of EncoderDecoderBook.

    USAGE: book [COMMAND] [ARGUMENTS] [--help]

    With no command (or only options, as in `book --timeout 20`), `book` checks your exercises
    and shows your progress, as `book progress` does.

    COMMANDS:

    """
    for command in commands {
        text += "  " + command.name.padding(toLength: 12, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\nRun `book COMMAND --help` for a command's options and examples."
    return text
}

func main() -> Int32 {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.isEmpty || (arguments[0].hasPrefix("--") && !["--help", "-h"].contains(arguments[0])) {
        arguments.insert("progress", at: 0)
    }
    let first = arguments.removeFirst()
    if first == "--help" || first == "-h" || (first == "help" && arguments.isEmpty) {
        print(topLevelHelp())
        return 0
    }
    if first == "help" {
        guard let command = commands.first(where: { $0.name == arguments[0] }) else {
            printError("Unknown command '\(arguments[0])'.\n\n\(topLevelHelp())")
            return 2
        }
        print(command.help)
        return 0
    }
    guard let command = commands.first(where: { $0.name == first }) else {
        printError("Unknown command '\(first)'. Commands: \(commands.map(\.name).joined(separator: ", ")).\nRun `book --help` for more.")
        return 2
    }
    if arguments.contains("--help") || arguments.contains("-h") {
        print(command.help)
        return 0
    }
    do {
        try command.run(arguments)
        return 0
    } catch let error as UsageError {
        printError("error: \(error)")
        return 2
    } catch {
        printError("error: \(error)")
        return 1
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

exit(main())
