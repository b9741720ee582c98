import Evaluation
import Foundation

let bleuCommand = Command(
    name: "bleu",
    summary: "Score a file of hypotheses against reference files with BLEU (and chrF), as the `sacrebleu` command does.",
    usage: "book bleu REFS.txt [MORE_REFS.txt ...] -i HYPS.txt [--tokenize 13a|none|intl|char] [--lowercase] [--metrics bleu chrf] [--format json|text] [--width N]",
    details: """
    One sentence a line. Each reference file gives one reference per line, so several files give
    several references per hypothesis (sacreBLEU's reference streams). The numbers and the
    signature are sacreBLEU's, with the book's name in place of sacreBLEU's version: corpus BLEU
    with 13a tokens and 'exp' smoothing unless told otherwise, and chrF2 (character 6-grams,
    β = 2). --lowercase applies to BLEU, as in sacreBLEU. The default output is sacreBLEU's JSON;
    --format text prints one line per metric.
    """,
    examples: ["swift run book bleu refs.txt -i output.txt",
               "swift run book bleu refs.en refs2.en -i output.en --metrics bleu chrf --format text",
               "swift run book bleu refs.txt -i output.txt --tokenize none --lowercase"],
    run: { raw in
        let arguments = try MetricArguments(raw, command: bleuCommand,
                                            valued: ["--tokenize": ("tokenize", 1), "-tok": ("tokenize", 1),
                                                     "--metrics": ("metrics", nil), "-m": ("metrics", nil),
                                                     "--format": ("format", 1), "-f": ("format", 1),
                                                     "--width": ("width", 1), "-w": ("width", 1)],
                                            flagNames: ["--lowercase": "lowercase", "-lc": "lowercase"])
        let tokenizerName = arguments.options["tokenize"]?.first ?? "13a"
        guard let tokenizer = BLEUTokenizer(rawValue: tokenizerName) else {
            throw UsageError("--tokenize must be one of \(BLEUTokenizer.allCases.map(\.rawValue).joined(separator: ", ")), got '\(tokenizerName)'.", command: bleuCommand)
        }
        let metrics = Set(arguments.options["metrics"] ?? ["bleu"])
        guard metrics.isSubset(of: ["bleu", "chrf"]) else {
            throw UsageError("--metrics takes bleu and/or chrf, got \(metrics.subtracting(["bleu", "chrf"]).sorted().joined(separator: ", ")).", command: bleuCommand)
        }
        let format = arguments.options["format"]?.first ?? "json"
        guard ["json", "text"].contains(format) else { throw UsageError("--format must be json or text, got '\(format)'.", command: bleuCommand) }
        let widthText = arguments.options["width"]?.first ?? "1"
        guard let width = Int(widthText), (0...10).contains(width) else { throw UsageError("--width must be a whole number from 0 to 10, got '\(widthText)'.", command: bleuCommand) }

        let hypotheses = try LineFile(arguments.input!)
        let references = try arguments.references.map(LineFile.init)
        try LineFile.checkLineCounts(references, against: hypotheses)
        let streams = references.map(\.lines)

        var results: [(line: String, json: String)] = []
        if metrics.contains("bleu") {
            let metric = BLEU(tokenize: tokenizer, lowercase: arguments.flags.contains("lowercase"))
            let score = metric.corpusScore(hypotheses: hypotheses.lines, referenceStreams: streams)
            let signature = metric.signature(referenceCount: streams.count)
            results.append((metric.formatted(score, referenceCount: streams.count, width: width),
                            sacreBLEUJSON(name: "BLEU", score: score.score, width: width, signature: signature, verbose: score.verbose)))
        }
        if metrics.contains("chrf") {
            let metric = CHRF()
            let score = metric.corpusScore(hypotheses: hypotheses.lines, referenceStreams: streams)
            let signature = metric.signature(referenceCount: streams.count)
            results.append((metric.formatted(score, referenceCount: streams.count, width: width),
                            sacreBLEUJSON(name: metric.name, score: score, width: width, signature: signature, verbose: nil)))
        }
        if format == "json" {
            print(results.count == 1 ? results[0].json : "[\n" + results.map(\.json).joined(separator: ",\n") + "\n]")
        } else {
            // Aligned on the "=", as sacreBLEU aligns several metrics.
            let lefts = results.map { $0.line.distance(from: $0.line.startIndex, to: $0.line.firstIndex(of: "=")!) - 1 }
            let widest = lefts.max()!
            for (left, result) in zip(lefts, results) {
                print(results.count == 1 ? result.line : String(repeating: " ", count: widest - left) + result.line)
            }
        }
    }
)

/// One metric as the `sacrebleu` command prints it in JSON.
func sacreBLEUJSON(name: String, score: Double, width: Int, signature: String, verbose: String?) -> String {
    var fields = [("name", "\"\(name)\""), ("score", String(format: "%.\(width)f", score)), ("signature", "\"\(signature)\"")]
    if let verbose { fields.append(("verbose_score", "\"\(verbose)\"")) }
    for pair in signature.split(separator: "|") {
        let parts = pair.split(separator: ":", maxSplits: 1).map(String.init)
        fields.append((parts[0], "\"\(parts[1])\""))
    }
    return "{\n" + fields.map { " \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}"
}
