import Foundation

/// One subcommand of `book`: its name, what it does, how to call it, examples, and its action.
struct Command: Sendable {
    let name: String
    let summary: String
    let usage: String
    let details: String
    let examples: [String]
    let run: @Sendable ([String]) throws -> Void

    var help: String {
        var text = "\(summary)\n\nUSAGE: \(usage)\n"
        if !details.isEmpty { text += "\n\(details)\n" }
        if !examples.isEmpty {
            text += "\nEXAMPLES:\n" + examples.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        return text
    }
}

/// A mistake in how the tool was called. Printed with the command's usage; exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    let command: Command?

    init(_ message: String, command: Command? = nil) {
        self.message = message
        self.command = command
    }

    var description: String {
        guard let command else { return message }
        return "\(message)\n\nUSAGE: \(command.usage)\nRun `book \(command.name) --help` for more."
    }
}

/// A failure while doing what was asked (a build that failed, a file that is missing). Exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The arguments of one subcommand, read off as options and positionals.
///
/// Options take the forms `--name value` and `--name=value`; flags are `--name`. Anything left
/// that starts with `-` is an unknown option and an error.
struct Arguments {
    private(set) var positionals: [String] = []
    private var options: [String: String] = [:]
    private var flags: Set<String> = []
    let command: Command

    init(_ arguments: [String], command: Command, options optionNames: Set<String> = [], flags flagNames: Set<String> = []) throws {
        self.command = command
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let parts = body.split(separator: "=", maxSplits: 1).map(String.init)
                let name = parts[0]
                if flagNames.contains(name), parts.count == 1 {
                    flags.insert(name)
                } else if optionNames.contains(name) {
                    if parts.count == 2 {
                        options[name] = parts[1]
                    } else if let value = rest.popFirst() {
                        options[name] = value
                    } else {
                        throw UsageError("Option --\(name) needs a value.", command: command)
                    }
                } else {
                    throw UsageError("Unknown option '\(argument)' for `book \(command.name)`.", command: command)
                }
            } else if argument.hasPrefix("-") && argument.count > 1 && Double(argument) == nil {
                throw UsageError("Unknown option '\(argument)' for `book \(command.name)`.", command: command)
            } else {
                positionals.append(argument)
            }
        }
    }

    func option(_ name: String) -> String? { options[name] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Fails unless there are between `min` and `max` positional arguments.
    func expectPositionals(_ range: ClosedRange<Int>) throws {
        guard range.contains(positionals.count) else {
            let what = positionals.isEmpty ? "none" : positionals.joined(separator: " ")
            throw UsageError("`book \(command.name)` takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") argument(s), got: \(what).", command: command)
        }
    }

    /// An integer option, with a clear message when it is not one.
    func intOption(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = options[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'.", command: command)
        }
        return number
    }
}
