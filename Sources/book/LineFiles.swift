import Evaluation
import Foundation

/// A text file read one sentence a line, as the `sacrebleu` command reads it: split at line feeds
/// (a final line feed ends the last line, it does not start an empty one), each line stripped of
/// trailing whitespace as Python's `rstrip()` strips it.
struct LineFile {
    let path: String
    let lines: [String]

    /// Reads `path`, or fails with a message naming the file and, for bytes that are not UTF-8,
    /// the line and column where they are.
    init(_ path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(FileManager.default.fileExists(atPath: path)
                ? "Could not read \(path)." : "There is no file \(path).")
        }
        var pieces = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        var lines: [String] = []
        for (number, bytes) in pieces.enumerated() {
            guard let line = String(validating: bytes, as: UTF8.self) else {
                let column = Self.firstInvalidByte(Array(bytes))
                throw CommandFailure("\(path), line \(number + 1): not valid UTF-8 (byte \(column + 1) of the line is 0x\(String(bytes[bytes.startIndex + column], radix: 16, uppercase: true))). Save the file as UTF-8 text.")
            }
            lines.append(pythonRightStripped(line))
        }
        guard !lines.isEmpty else { throw CommandFailure("\(path) is empty: it should hold one sentence a line.") }
        self.lines = lines
    }

    /// The offset of the first byte at which UTF-8 decoding fails.
    static func firstInvalidByte(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput, .error: return min(offset, bytes.count - 1)
            }
        }
    }

    /// Checks that `files` hold as many lines as `hypotheses`.
    static func checkLineCounts(_ files: [LineFile], against hypotheses: LineFile) throws {
        for file in files where file.lines.count != hypotheses.lines.count {
            throw CommandFailure("\(file.path) has \(file.lines.count) lines but \(hypotheses.path) has \(hypotheses.lines.count): "
                + "line i of each reference file is a reference for line i of the hypotheses, so the counts must agree.")
        }
    }
}

/// The arguments of `book bleu` and `book rouge`, parsed the way the `sacrebleu` command takes
/// them: reference files first, `-i` with the hypotheses, options that may take several values.
struct MetricArguments {
    var references: [String] = []
    var input: String?
    var options: [String: [String]] = [:]
    var flags: Set<String> = []

    /// `valued` maps each option's spellings to its name and how many values it takes (nil: one
    /// or more); `flagNames` maps each flag's spellings to its name.
    init(_ arguments: [String], command: Command, valued: [String: (name: String, count: Int?)], flagNames: [String: String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            if argument == "-i" || argument == "--input" {
                guard let file = rest.popFirst(), !file.hasPrefix("-") else { throw UsageError("\(argument) needs the hypotheses file.", command: command) }
                guard input == nil else { throw UsageError("Give one hypotheses file after -i.", command: command) }
                input = file
                if let next = rest.first, !next.hasPrefix("-") {
                    throw UsageError("Give one hypotheses file after -i, got also \(next); reference files come before -i.", command: command)
                }
            } else if let flag = flagNames[argument] {
                flags.insert(flag)
            } else if let option = valued[argument] {
                var values: [String] = []
                while let next = rest.first, !next.hasPrefix("-"), option.count.map({ values.count < $0 }) ?? true {
                    values.append(next)
                    rest.removeFirst()
                }
                guard !values.isEmpty else { throw UsageError("\(argument) needs a value.", command: command) }
                options[option.name] = values
            } else if argument.hasPrefix("-") {
                throw UsageError("Unknown option '\(argument)' for `book \(command.name)`.", command: command)
            } else {
                references.append(argument)
            }
        }
        guard !references.isEmpty else { throw UsageError("Give at least one reference file.", command: command) }
        guard input != nil else { throw UsageError("Give the hypotheses with -i FILE.", command: command) }
    }
}
