import ExerciseSupport
import Foundation
import Grading

let gradescopeCommand = Command(
    name: "gradescope",
    summary: "Write the zip of a Gradescope autograder that grades with this book (for instructors).",
    usage: "book gradescope --out autograder.zip [--chapters 1,3] [--timeout S] [--extra-tests FOLDER [--show-hidden]] [LIMITS]",
    details: """
    Writes the zip Gradescope's "zip file upload" autograder takes: setup.sh and run_autograder
    at its top, this book (Package.swift, Sources/, Tests/, Mutants/ and the stubs in
    Exercises/; never Solutions/) in book/, and the hidden tests in hidden-tests/.

    setup.sh (run once when Gradescope builds the image) installs Swift \(GradescopeAutograder.swiftVersion) for the
    image's Ubuntu, builds the book tool and the grading sandbox. run_autograder (run for each
    submission) grades /autograder/submission, which must hold the student's Exercises/ folder
    (at any depth), and writes /autograder/results/results.json. The options
    below are passed on to `book grade`.

    \(gradingOptionsHelp)
    """,
    examples: [
        "swift run book gradescope --out autograder.zip --chapters 1,2",
        "swift run book gradescope --out autograder.zip --extra-tests ~/course/hidden-tests",
    ],
    run: { raw in
        let arguments = try Arguments(raw, command: gradescopeCommand, options: Set(["out"] + GradingArguments.options),
                                      flags: Set(GradingArguments.flags))
        try arguments.expectPositionals(0...0)
        guard let out = arguments.option("out") else {
            throw UsageError("--out autograder.zip is required.", command: gradescopeCommand)
        }
        let package = try packageFolder(gradescopeCommand)
        let settings = try GradingArguments(arguments, package: package)
        if let folder = settings.extraTests {
            try HiddenTests.check(folder, chapters: settings.chapters, catalogue: Catalogue.all)
        }
        let entries = try GradescopeAutograder.entries(package: package, extraTests: settings.extraTests,
                                                      gradeArguments: settings.asArguments)
        let zip = ZipWriter.zip(entries)
        try zip.write(to: URL(fileURLWithPath: out))
        print("Wrote \(out): \(entries.count) files, \(zip.count / 1024) KB. Upload it as the autograder of a programming assignment.")
        print("Grading options: " + settings.asArguments.joined(separator: " "))
    }
)
