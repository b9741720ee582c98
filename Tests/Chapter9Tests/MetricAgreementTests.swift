import Evaluation
import Foundation
import Testing

// Agreement with sacreBLEU 2.6.0, rouge-score 0.1.2 and NLTK's Porter stemmer on the 240 sentence
// pairs of Tests/Fixtures/chapter9-metrics.json, made by Tools/metric_fixtures.py: punctuation,
// numbers, capitals, accented text in NFC and NFD, Greek, symbols, unusual whitespace, HTML
// entities, several references and several lines.

struct MetricFixtures: Decodable {
    struct Pair: Decodable {
        let hypothesis: String
        let references: [String]
        let tokens13a: String
        let tokensIntl: String
        let bleu: [String: Double]
        let chrf: [String: Double]
        let rouge: [String: [Double]]
        let rougeStemmed: [String: [Double]]
    }
    struct CorpusBLEU: Decodable {
        let score: Double
        let counts: [Int]
        let totals: [Int]
        let hypothesisLength: Int
        let referenceLength: Int
        let text: String
    }
    struct CorpusCHRF: Decodable {
        let score: Double
        let text: String
    }
    struct Corpus: Decodable {
        let name: String
        let pairs: [Int]
        let streams: Int
        let bleu: [String: CorpusBLEU]
        let chrf: [String: CorpusCHRF]
    }
    let sacrebleu: String
    let pairs: [Pair]
    let corpora: [Corpus]
    let stems: [[String]]

    /// The fixture file, read once.
    static let shared: MetricFixtures = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/chapter9-metrics.json")
        do {
            return try JSONDecoder().decode(MetricFixtures.self, from: Data(contentsOf: url))
        } catch {
            fatalError("Could not read the metric fixtures at \(url.path): \(error)")
        }
    }()
}

/// The fixture's settings by name.
let bleuSettings: [String: BLEU] = [
    "13a": BLEU(effectiveOrder: true), "none": BLEU(tokenize: .none, effectiveOrder: true),
    "intl": BLEU(tokenize: .intl, effectiveOrder: true), "char": BLEU(tokenize: .char, effectiveOrder: true),
    "13a-lowercase": BLEU(lowercase: true, effectiveOrder: true),
]
let chrfSettings: [String: CHRF] = ["default": CHRF(), "lowercase": CHRF(lowercase: true)]

/// Agreement to 10⁻⁹, relative above 1: both sides compute in Double.
func agrees(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(b)) }

/// A string with its unusual scalars spelled out, for messages.
func shown(_ text: String) -> String {
    text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
}

@Suite("Chapter 9: agreement with sacreBLEU, rouge-score and NLTK on 240 sentence pairs")
struct Chapter9MetricAgreementTests {
    let fixtures = MetricFixtures.shared

    @Test("The 13a and intl tokenizers cut every hypothesis as sacreBLEU does")
    func tokenizers() {
        #expect(fixtures.pairs.count == 240, "the text speaks of 240 pairs")
        var wrong = 0
        for pair in fixtures.pairs {
            let text = pythonRightStripped(pair.hypothesis)
            for (tokenizer, expected) in [(BLEUTokenizer.thirteenA, pair.tokens13a), (.intl, pair.tokensIntl)] {
                let got = tokenizer.tokenize(text)
                guard got != expected || !got.unicodeScalars.elementsEqual(expected.unicodeScalars) else { continue }
                wrong += 1
                if wrong <= 10 { Issue.record("\(tokenizer.rawValue) of \"\(shown(pair.hypothesis))\": expected \"\(shown(expected))\", got \"\(shown(got))\"") }
            }
        }
        #expect(wrong == 0, "\(wrong) tokenizations differ")
    }

    @Test("Sentence BLEU of every pair matches sacreBLEU to 1e-9 with each tokenizer (13a, none, intl, char) and lowercased")
    func sentenceBLEUAgrees() {
        var wrong = 0
        for (index, pair) in fixtures.pairs.enumerated() {
            for (name, expected) in pair.bleu.sorted(by: { $0.key < $1.key }) {
                let got = bleuSettings[name]!.sentenceScore(hypothesis: pair.hypothesis, references: pair.references).score
                guard !agrees(got, expected) else { continue }
                wrong += 1
                if wrong <= 10 { Issue.record("pair \(index) (\(name)): BLEU \(got), sacreBLEU \(expected); \"\(shown(pair.hypothesis))\" against \(pair.references.map(shown))") }
            }
        }
        #expect(wrong == 0, "\(wrong) sentence BLEU scores differ")
    }

    @Test("Sentence chrF of every pair matches sacreBLEU to 1e-9, mixed case and lowercased")
    func sentenceCHRFAgrees() {
        var wrong = 0
        for (index, pair) in fixtures.pairs.enumerated() {
            for (name, expected) in pair.chrf.sorted(by: { $0.key < $1.key }) {
                let got = chrfSettings[name]!.sentenceScore(hypothesis: pair.hypothesis, references: pair.references)
                guard !agrees(got, expected) else { continue }
                wrong += 1
                if wrong <= 10 { Issue.record("pair \(index) (\(name)): chrF \(got), sacreBLEU \(expected); \"\(shown(pair.hypothesis))\" against \(pair.references.map(shown))") }
            }
        }
        #expect(wrong == 0, "\(wrong) sentence chrF scores differ")
    }

    @Test("ROUGE-1, -2, -L and -Lsum of every pair match rouge-score's score_multi to 1e-9, without and with the stemmer")
    func rougeAgrees() {
        var wrong = 0
        for (index, pair) in fixtures.pairs.enumerated() {
            for (stem, expected) in [(false, pair.rouge), (true, pair.rougeStemmed)] {
                let scores = rouge(candidate: pair.hypothesis, references: pair.references, stem: stem)
                let ours = ["rouge1": scores.rouge1, "rouge2": scores.rouge2, "rougeL": scores.rougeL, "rougeLsum": scores.rougeLsum]
                for (name, theirs) in expected.sorted(by: { $0.key < $1.key }) {
                    let mine = ours[name]!
                    guard !(agrees(mine.precision, theirs[0]) && agrees(mine.recall, theirs[1]) && agrees(mine.fMeasure, theirs[2])) else { continue }
                    wrong += 1
                    if wrong <= 10 {
                        Issue.record("pair \(index) \(name)\(stem ? " stemmed" : ""): (P, R, F) = (\(mine.precision), \(mine.recall), \(mine.fMeasure)), rouge-score \(theirs); \"\(shown(pair.hypothesis))\" against \(pair.references.map(shown))")
                    }
                }
            }
        }
        #expect(wrong == 0, "\(wrong) ROUGE scores differ")
    }

    @Test("Corpus BLEU and chrF, one reference stream and two, match sacreBLEU: counts, lengths, score and the printed line")
    func corpusAgrees() {
        for corpus in fixtures.corpora {
            let hypotheses = corpus.pairs.map { fixtures.pairs[$0].hypothesis }
            let streams = (0..<corpus.streams).map { k in corpus.pairs.map { fixtures.pairs[$0].references[k] } }
            for (name, expected) in corpus.bleu.sorted(by: { $0.key < $1.key }) {
                var metric = bleuSettings[name]!
                metric.effectiveOrder = false
                let result = metric.corpusScore(hypotheses: hypotheses, referenceStreams: streams)
                #expect(result.statistics.matches == expected.counts && result.statistics.totals == expected.totals,
                        "\(corpus.name), \(name): matches \(result.statistics.matches) / totals \(result.statistics.totals), sacreBLEU \(expected.counts) / \(expected.totals)")
                #expect(result.statistics.hypothesisLength == expected.hypothesisLength && result.statistics.referenceLength == expected.referenceLength,
                        "\(corpus.name), \(name): c = \(result.statistics.hypothesisLength), r = \(result.statistics.referenceLength), sacreBLEU \(expected.hypothesisLength), \(expected.referenceLength)")
                #expect(agrees(result.score, expected.score), "\(corpus.name), \(name): BLEU \(result.score), sacreBLEU \(expected.score)")
                let line = metric.formatted(result, referenceCount: corpus.streams, width: 2)
                #expect(line == expected.text.replacingOccurrences(of: "version:\(fixtures.sacrebleu)", with: "version:\(signatureVersion)"),
                        "\(corpus.name), \(name): printed \(line), sacreBLEU \(expected.text)")
            }
            for (name, expected) in corpus.chrf.sorted(by: { $0.key < $1.key }) {
                let metric = chrfSettings[name]!
                let score = metric.corpusScore(hypotheses: hypotheses, referenceStreams: streams)
                #expect(agrees(score, expected.score), "\(corpus.name), \(name): chrF \(score), sacreBLEU \(expected.score)")
                let line = metric.formatted(score, referenceCount: corpus.streams, width: 2)
                #expect(line == expected.text.replacingOccurrences(of: "version:\(fixtures.sacrebleu)", with: "version:\(signatureVersion)"),
                        "\(corpus.name), \(name): printed \(line), sacreBLEU \(expected.text)")
            }
        }
    }

    @Test("The Porter stemmer agrees with NLTK's (rouge-score's) on every word of the fixture list")
    func porterStems() {
        #expect(fixtures.stems.count == 3644, "the text speaks of 3,644 words")
        let wrong = fixtures.stems.filter { porterStem($0[0]) != $0[1] }
        #expect(wrong.isEmpty, "\(wrong.count) stems differ, for example \(wrong.prefix(10).map { "\($0[0]) → \(porterStem($0[0])), NLTK \($0[1])" })")
    }
}
