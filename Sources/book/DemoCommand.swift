import Foundation

/// A chapter's demo: what it shows and how to run it.
struct Demo: Sendable {
    let chapter: Int
    /// The name of a chapter's second demo (`book demo 7 captioner`); nil for its main demo.
    var part: String? = nil
    let title: String
    let run: @Sendable (DemoOptions) throws -> Void
}

/// Options every demo understands.
struct DemoOptions {
    /// Where figures go (created if missing).
    let outputFolder: URL
    /// Training steps, when the user asks for a different number than the demo's default.
    let steps: Int?
    let seed: UInt64
    /// A learning rate to use instead of the demo's own, passed to the library as given (the
    /// optimizer checks it and says what is wrong with a bad one).
    var learningRate: Float? = nil
    /// With `--load`, a demo that saves its trained models (as safetensors files under
    /// book-output/chapterN) reads one back instead of training it again, when the file is there.
    var load: Bool = false
}

/// The demos, by chapter.
let demos: [Demo] = [chapter1Demo, chapter2Demo, chapter3Demo, chapter4Demo, chapter5Demo, chapter6Demo, chapter7Demo,
                     chapter7CaptionerDemo, chapter8Demo, chapter9Demo]

let demoCommand = Command(
    name: "demo",
    summary: "Run a chapter's demo: train its model on built-in data and write figures.",
    usage: "book demo CHAPTER [PART] [--out FOLDER] [--steps N] [--seed N] [--learning-rate LR] [--load]",
    details: """
    Every demo runs on data built into the package (no downloads), prints its progress as it
    trains, and writes its figures (SVG) to FOLDER/chapterN (default: figures/chapterN).
    Demos train faster in release mode: `swift run -c release book demo N`.
    --learning-rate replaces the demo's learning rate (chapter 2's demo uses it for both of its
    optimizers).
    Demos 5 and 6 save their trained models to book-output/chapterN/*.safetensors; --load reads
    a saved model instead of training it again (the same --seed and --steps name the same file).
    Demos available: \(demos.map { "\($0.chapter)\($0.part.map { " " + $0 } ?? "") (\($0.title))" }.joined(separator: ", ")).
    """,
    examples: ["swift run book demo 1", "swift run -c release book demo 1 --steps 200 --out /tmp/figures"],
    run: { raw in
        let arguments = try Arguments(raw, command: demoCommand, options: ["out", "steps", "seed", "learning-rate"], flags: ["load"])
        try arguments.expectPositionals(1...2)
        let chapter = try parseChapter(arguments.positionals[0], command: demoCommand)
        let part = arguments.positionals.count > 1 ? arguments.positionals[1] : nil
        guard let demo = demos.first(where: { $0.chapter == chapter && $0.part == part }) else {
            throw UsageError("Chapter \(chapter) has no demo\(part.map { " called " + $0 } ?? "") yet. Demos: \(demos.map { "\($0.chapter)\($0.part.map { " " + $0 } ?? "")" }.joined(separator: ", ")).", command: demoCommand)
        }
        let steps = arguments.option("steps") == nil ? nil : try arguments.intOption("steps", default: 1, in: 1...1_000_000)
        let seed = UInt64(try arguments.intOption("seed", default: 1, in: 0...Int.max))
        let folder = URL(fileURLWithPath: arguments.option("out") ?? "figures")
            .appendingPathComponent("chapter\(chapter)")
        let learningRate = try arguments.option("learning-rate").map { text in
            guard let value = Float(text) else {
                throw UsageError("--learning-rate needs a number, got '\(text)'.", command: demoCommand)
            }
            return value
        }
        print("Chapter \(chapter) demo: \(demo.title)")
        try demo.run(DemoOptions(outputFolder: folder, steps: steps, seed: seed, learningRate: learningRate,
                                 load: arguments.flag("load")))
    }
)

/// Prints a progress line. On a terminal it rewrites one line in place; in a log it prints
/// every `every`-th update, so the output stays readable in both.
struct ProgressPrinter {
    let total: Int
    let every: Int
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = Date()

    init(total: Int, every: Int = 10) {
        self.total = total
        self.every = max(1, every)
    }

    func update(step: Int, _ text: String) {
        let rate = Double(step) / max(Date().timeIntervalSince(start), 1e-9)
        let line = "step \(String(step).leftPadded(to: String(total).count))/\(total)  \(text)  (\(String(format: "%.1f", rate)) steps/s)"
        if isTerminal {
            print("\r" + line, terminator: step == total ? "\n" : "")
            fflush(nil)  // flush every output stream, so the line appears now
        } else if step % every == 0 || step == total || step == 1 {
            print(line)
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
