import Evaluation
import Foundation

let rougeCommand = Command(
    name: "rouge",
    summary: "Score a file of hypotheses against reference files with ROUGE-1, -2, -L and -Lsum, as rouge-score does.",
    usage: "book rouge REFS.txt [MORE_REFS.txt ...] -i HYPS.txt [--stem]",
    details: """
    One text a line. Each line is scored as rouge-score's RougeScorer(['rouge1', 'rouge2', 'rougeL',
    'rougeLsum']) scores it (score_multi when several reference files give several references:
    for each measure the reference with the best F), with its tokenizer and, with --stem, its
    Porter stemmer. The table shows precision, recall and F averaged over the lines. (rouge-score's
    BootstrapAggregator reports a resampled estimate of the same averages.) ROUGE-Lsum splits a
    text into sentences at line feeds, so on one-line texts it equals ROUGE-L.
    """,
    examples: ["swift run book rouge summaries.ref -i summaries.out", "swift run book rouge refs1.txt refs2.txt -i out.txt --stem"],
    run: { raw in
        let arguments = try MetricArguments(raw, command: rougeCommand, valued: [:], flagNames: ["--stem": "stem", "--use-stemmer": "stem"])
        let hypotheses = try LineFile(arguments.input!)
        let references = try arguments.references.map(LineFile.init)
        try LineFile.checkLineCounts(references, against: hypotheses)
        let stem = arguments.flags.contains("stem")
        let scores = hypotheses.lines.indices.map { i in
            rouge(candidate: hypotheses.lines[i], references: references.map { $0.lines[i] }, stem: stem)
        }
        let n = Double(scores.count)
        func mean(_ measure: KeyPath<ROUGEScores, ROUGEScore>, _ part: KeyPath<ROUGEScore, Double>) -> String {
            String(format: "%.4f", scores.reduce(0) { $0 + $1[keyPath: measure][keyPath: part] } / n)
        }
        print("ROUGE of \(hypotheses.path) against \(references.map(\.path).joined(separator: ", ")): \(scores.count) lines, "
              + "\(references.count) reference\(references.count == 1 ? "" : "s") each, use_stemmer=\(stem ? "True" : "False"), mean over lines\n")
        let measures: [(String, KeyPath<ROUGEScores, ROUGEScore>)] = [("ROUGE-1", \.rouge1), ("ROUGE-2", \.rouge2), ("ROUGE-L", \.rougeL), ("ROUGE-Lsum", \.rougeLsum)]
        printTable(["measure", "P", "R", "F"], measures.map { name, measure in
            [name, mean(measure, \.precision), mean(measure, \.recall), mean(measure, \.fMeasure)]
        })
    }
)
