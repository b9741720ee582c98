// swift-tools-version: 6.3
//
// EncoderDecoderBook: a textbook you can run.
//
// Each chapter N contributes three targets:
//   - a reference module in Sources/ named for the chapter's idea (for example `ScalarAutodiff`);
//   - `ChapterNExercises`, compiled from `Exercises/ChapterN` by default, or from
//     `$BOOK_EXERCISES/ChapterN` when the environment variable BOOK_EXERCISES is set
//     (`BOOK_EXERCISES=Solutions swift test --scratch-path .build-solutions` checks the answers);
//   - `ChapterNTests`, the Swift Testing suites for the chapter.
// Exercises build on the reference modules of the chapter and earlier chapters, never on other
// exercises, so a student can start at any chapter.

import PackageDescription
import Foundation

/// The folder the exercise modules are compiled from.
let exercisesFolder = ProcessInfo.processInfo.environment["BOOK_EXERCISES"] ?? "Exercises"

/// One chapter of the book: its number, its reference module and the modules that module uses.
struct Chapter {
    let number: Int
    let module: String
    let uses: [String]
}

/// The chain of chapter modules, each depending only on earlier ones.
let chapters: [Chapter] = [
    Chapter(number: 1, module: "ScalarAutodiff", uses: []),
    Chapter(number: 2, module: "Tensors", uses: ["ScalarAutodiff"]),
    Chapter(number: 3, module: "Autoencoders", uses: ["Tensors", "ScalarAutodiff", "Datasets"]),
    Chapter(number: 4, module: "VariationalAutoencoders", uses: ["Autoencoders", "Tensors", "ScalarAutodiff", "Datasets"]),
    Chapter(number: 5, module: "RecurrentNetworks", uses: ["Tensors", "ScalarAutodiff", "Datasets"]),
    Chapter(number: 6, module: "Attention", uses: ["RecurrentNetworks", "Tensors", "ScalarAutodiff", "Datasets"]),
    Chapter(number: 7, module: "Transformers", uses: ["Tensors", "ScalarAutodiff"]),
    Chapter(number: 8, module: "Decoding", uses: ["Tensors", "ScalarAutodiff"]),
    Chapter(number: 9, module: "Evaluation", uses: ["Tensors", "ScalarAutodiff"]),
]

/// The reference modules are compiled with optimisation even in debug builds, so that a
/// student's `swift test --filter ChapterN` trains its small models in seconds rather than
/// minutes. Exercise modules and tests stay unoptimised, for clear traps and debugging.
/// (Input checks use `require`, which prints its message under `-O` too; see
/// Sources/ScalarAutodiff/Require.swift.)
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// Matrix-multiplication kernels compiled for one x86-64 instruction-set level each, so that a
/// portable build can still use the processor's full vector width (see
/// Sources/Tensors/KernelDispatch.swift). `Tensors` checks the CPU once and calls a kernel only
/// if the CPU has every instruction its level allows. The levels are the x86-64 psABI's:
/// x86-64-v3 is AVX2 with FMA, x86-64-v4 adds AVX-512 (F, BW, CD, DQ, VL). The modules hold
/// nothing but kernels, none of them inlinable, and exist only when the package is built on an
/// x86-64 host; on arm64 the portable kernel already uses NEON's fused multiply-add.
#if arch(x86_64)
let kernelModules: [(name: String, level: String)] = [("KernelsAVX2", "x86-64-v3"), ("KernelsAVX512", "x86-64-v4")]
#else
let kernelModules: [(name: String, level: String)] = []
#endif

/// Support modules that sit beside the chapter chain.
var targets: [Target] = [
    // The "not attempted" error and the exercise catalogue, shared by stubs, tests and the CLI.
    .target(name: "ExerciseSupport"),
    // The test side of the exercises: the Checker, the child process each check runs in, the
    // crash report, and the mutants (known wrong answers) that every check must reject.
    .target(name: "ExerciseTesting", dependencies: ["ExerciseSupport", "Tensors"]),
    // Reading Swift Testing's event stream into per-exercise results (progress, CI, grading).
    .target(name: "ExerciseReports", dependencies: ["ExerciseSupport"]),
    // Grading a folder of student submissions into a gradebook, a class summary with a score
    // histogram (drawn with Plotting) and a similarity report (`book grade`).
    .target(name: "Grading", dependencies: ["ExerciseSupport", "ExerciseReports", "Plotting"]),
    // Small built-in data sets used by the demos and benchmarks.
    // The 8x8 digits file and the MNIST sample (two IDX files) are resources read through
    // `Bundle.module`; their README stays in the repository.
    .target(
        name: "Datasets",
        dependencies: ["ScalarAutodiff"],
        exclude: ["Resources/README.md"],
        resources: [
            .copy("Resources/digits.csv"),
            .copy("Resources/mnist-5k-images.idx3-ubyte"),
            .copy("Resources/mnist-5k-labels.idx1-ubyte"),
        ],
        swiftSettings: optimisedInDebug
    ),
    // SVG figures (line, scatter, heatmap, image grid) for the chapters and demos (Foundation, and `require` from ScalarAutodiff).
    .target(name: "Plotting", dependencies: ["ScalarAutodiff"], swiftSettings: optimisedInDebug),
    // The `book` command-line tool: progress, hints, demos.
    .executableTarget(
        name: "book",
        dependencies: ["ExerciseSupport", "ExerciseReports", "Grading", "Datasets", "Plotting"]
            + chapters.map { .target(name: $0.module) }
    ),
    // The release-mode benchmarks: `swift run -c release bench`.
    .executableTarget(name: "bench", dependencies: ["Tensors", "ScalarAutodiff", "Datasets", "RecurrentNetworks", "Attention", "Transformers"]),
    .testTarget(name: "SupportTests", dependencies: ["ExerciseSupport", "ExerciseReports", "Datasets", "Plotting"]),
    // The grader's tests: fast unit tests always, real builds of hostile submissions only when
    // BOOK_GRADING_E2E=1.
    .testTarget(name: "GradingTests", dependencies: ["ExerciseSupport", "ExerciseReports", "Grading"]),
]

/// Each chapter has five more targets beside its reference module:
///   - `ChapterNExercises`, from Exercises/ChapterN (or $BOOK_EXERCISES/ChapterN);
///   - `ChapterNChecks`, from Tests/ChapterNChecks: each exercise's check, a function of a Checker
///     and the student's function, so that the same check runs on answers and on mutants;
///   - `ChapterNMutants`, from Mutants/ChapterN: known wrong answers, which must fail the checks;
///   - `ChapterNTests`, the chapter's tests (the exercise tests call the checks).
var mutantModules: [Target.Dependency] = []

for kernel in kernelModules {
    targets.append(.target(
        name: kernel.name,
        swiftSettings: [.unsafeFlags(["-Xcc", "-march=\(kernel.level)"])] + optimisedInDebug
    ))
}

for chapter in chapters {
    let reference: [Target.Dependency] = (chapter.uses + [chapter.module]).map { .target(name: $0) }
    let exercises = "Chapter\(chapter.number)Exercises"
    let checks = "Chapter\(chapter.number)Checks"
    let mutants = "Chapter\(chapter.number)Mutants"
    // Checks may also read the built-in data sets (a training exercise's data, passed in).
    let data: [Target.Dependency] = chapter.uses.contains("Datasets") ? [] : ["Datasets"]
    targets += [
        .target(
            name: chapter.module,
            dependencies: chapter.uses.map { .target(name: $0) }
                + (chapter.module == "Tensors" ? kernelModules.map { .target(name: $0.name) } : []),
            swiftSettings: optimisedInDebug
        ),
        .target(
            name: exercises,
            dependencies: ["ExerciseSupport"] + reference,
            path: "\(exercisesFolder)/Chapter\(chapter.number)"
        ),
        .target(
            name: checks,
            dependencies: ["ExerciseSupport", "ExerciseTesting", .target(name: exercises)] + reference + data,
            path: "Tests/\(checks)"
        ),
        .target(
            name: mutants,
            dependencies: ["ExerciseSupport", "ExerciseTesting", .target(name: checks)] + reference,
            path: "Mutants/Chapter\(chapter.number)"
        ),
        .testTarget(
            name: "Chapter\(chapter.number)Tests",
            dependencies: ["ExerciseSupport", "ExerciseTesting", .target(name: exercises), .target(name: checks)] + reference
        ),
    ]
    mutantModules.append(.target(name: mutants))
}

// Every mutant of every chapter must fail its exercise's check (not part of `--filter ChapterN`).
targets.append(.testTarget(
    name: "MutantTests",
    dependencies: ["ExerciseSupport", "ExerciseTesting"] + mutantModules
))

let package = Package(
    name: "EncoderDecoderBook",
    // The chapter modules, `Datasets` and `Plotting` are libraries a reader's own package can
    // depend on by path (see README). Because the chapter modules carry `unsafeFlags` (-O in
    // debug), SwiftPM accepts the book as a path or branch dependency, not as a tagged version.
    products: [.executable(name: "book", targets: ["book"])]
        + (chapters.map(\.module) + ["Datasets", "Plotting"]).map { .library(name: $0, targets: [$0]) },
    targets: targets,
    swiftLanguageModes: [.v6]
)
