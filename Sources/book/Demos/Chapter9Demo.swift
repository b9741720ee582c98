import Attention
import Datasets
import Decoding
import Evaluation
import Foundation
import Plotting
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Transformers

/// Chapter 9's capstone: one translation task, three models (chapter 5's seq2seq without
/// attention, chapter 6's with Bahdanau attention and chapter 7's Transformer), scored with BLEU and exact match by source length, then chapter
/// 8's decoders compared on the same trained models.
let chapter9Demo = Demo(chapter: 9, title: "capstone: seq2seq, attention and Transformer on toy translation, BLEU by source length, decoders compared") { options in
    let started = Date()
    let steps = options.steps ?? 800
    let folder = options.outputFolder.path

    let train = compoundTranslationPairs(count: 4_000, seed: options.seed)
    let test = compoundTranslationPairs(count: 300, seed: options.seed &+ 100)
    let vocabulary = Vocabulary(collecting: (train + test).flatMap { [$0.source, $0.target] })
    let trainIDs = EncodedPairs(train, sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
    let testIDs = EncodedPairs(test, sourceVocabulary: vocabulary, targetVocabulary: vocabulary)
    print("""
    Task: chapter 5's toy English → French, one sentence or two joined by "and", e.g.
      \(test.first { $0.source.count > 9 }!)
    \(train.count) training pairs, \(test.count) test pairs, sources of 4 to 15 words, \(vocabulary.count) tokens;
    test targets average \(fixed(Double(testIDs.targets.map(\.count).reduce(0, +)) / Double(testIDs.count), 1)) tokens with <eos>.

    """)

    // 1. Train the three models with the same budget: `steps` Adam steps on batches of 32.
    var rng = SeededRandom(seed: options.seed)
    let recurrent = Seq2Seq(sourceVocabularySize: vocabulary.count, targetVocabularySize: vocabulary.count,
                            embeddingSize: 32, hiddenSize: 64, rng: &rng)
    print("1a. Seq2seq without attention (chapter 5): GRU encoder and decoder, E = 32, H = 64, \(recurrent.parameterCount) parameters")
    let recurrentLosses = trainSeq2Seq(recurrent, on: trainIDs, steps: steps, batchSize: 32, learningRate: 5e-3, rng: &rng,
                                       logEvery: max(steps / 6, 1), log: { print("   " + $0) })
    let attention = AttentionSeq2Seq(sourceVocabularySize: vocabulary.count, targetVocabularySize: vocabulary.count,
                                     embeddingSize: 32, hiddenSize: 40, rng: &rng)
    print("\n1b. Seq2seq with Bahdanau attention (chapter 6): bidirectional GRU encoder, E = 32, H = 40, \(attention.parameterCount) parameters")
    let attentionLosses = trainAttentionSeq2Seq(attention, on: trainIDs, steps: steps, batchSize: 32, learningRate: 5e-3, rng: &rng,
                                                logEvery: max(steps / 6, 1), log: { print("   " + $0) })
    let configuration = TransformerConfiguration(vocabularySize: vocabulary.count, dimension: 32, heads: 4, hidden: 64,
                                                 layers: 2, maxLength: 40, padding: Vocabulary.padID)
    let transformer = EncoderDecoderModel(configuration, seed: options.seed)
    let transformerSize = transformer.parameters.reduce(0) { $0 + $1.value.count }
    print("\n1c. Transformer (chapter 7): d = 32, 4 heads, d_ff = 64, 2 + 2 blocks, \(transformerSize) parameters, label smoothing ε = 0.1")
    let transformerLosses = trainTransformer(transformer, on: trainIDs, steps: steps, batchSize: 32, epsilon: 0.1, rng: &rng)
    transformer.dropout.isTraining = false
    let trainedAt = Date()

    // 2. Greedy decoding of the test set, scored by source length.
    let end = DecodingRules(endToken: Vocabulary.endID)
    let references = test.map(\.target)
    func words(_ decoded: DecodedSequence) -> [String] {
        vocabulary.decode(decoded.tokens, stripSpecial: true)
    }
    // Each model, as chapter 8's NextTokenModel for one source, decoded by one decoder.
    let names = ["seq2seq", "attention", "Transformer"]
    func decode(_ model: Int, _ source: [Int], _ decoder: CapstoneDecoder, _ rng: inout SeededRandom) -> DecodedSequence {
        switch model {
        case 0: decoder.decode(nextTokenModel(recurrent, source: source), rng: &rng)
        case 1: decoder.decode(nextTokenModel(attention, source: source), rng: &rng)
        default: decoder.decode(nextTokenModel(transformer, source: source), rng: &rng)
        }
    }
    var unused = SeededRandom(seed: 0)
    let greedy = names.indices.map { m in testIDs.sources.map { words(decode(m, $0, .greedy, &unused)) } }
    let lengths = Array(Set(test.map(\.source.count))).sorted()
    func score(_ outputs: [[String]], length: Int?) -> (bleu: Double, exact: Double, n: Int) {
        let rows = test.indices.filter { length == nil || test[$0].source.count == length }
        let hypotheses = rows.map { outputs[$0] }, golds = rows.map { references[$0] }
        return (corpusBLEU(hypotheses: hypotheses.map(joined), referenceStreams: [golds.map(joined)], tokenize: .none).score,
                100 * exactMatch(hypotheses: hypotheses, references: golds), rows.count)
    }
    print("\n2. Greedy decoding of the test set by source length: corpus BLEU and exact match (%)\n")
    let rows = (lengths.map(Optional.some) + [nil]).map { length in
        [length.map(String.init) ?? "all", "\(score(greedy[0], length: length).n)"]
            + greedy.flatMap { outputs in
                let s = score(outputs, length: length)
                return [fixed(s.bleu, 1), fixed(s.exact, 1)]
            }
    }
    printTable(["source words", "pairs"] + names.flatMap { ["\($0) BLEU", "exact"] }, rows)
    let perplexities = [recurrentPerplexity(on: testIDs) { recurrent.teacherForcedLoss(sources: $0, targets: $1) },
                        recurrentPerplexity(on: testIDs) { attention.teacherForcedLoss(sources: $0, targets: $1) },
                        transformerPerplexity(transformer, on: testIDs)]
    print("\nTest perplexity (teacher forcing, per target token): "
          + zip(names, perplexities).map { "\($0) \(fixed($1, 3))" }.joined(separator: ", ") + ".")
    let longest = test.indices.max { test[$0].source.count < test[$1].source.count }!
    let gold = references[longest].joined(separator: " ")
    print("The longest test source, \(test[longest].source.count) words:")
    print("  source       \(test[longest].source.joined(separator: " "))")
    print("  reference    \(gold)")
    for (name, outputs) in zip(names, greedy) {
        let output = outputs[longest].joined(separator: " ")
        let scores = rouge(candidate: output, reference: gold)
        print("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0))  \(output)   "
              + "(sentence BLEU \(fixed(sentenceBLEU(hypothesis: output, references: [gold], tokenize: .none).score, 1)), ROUGE-L F \(fixed(scores.rougeL.fMeasure, 3)))")
    }

    // 3. Chapter 8's decoders on the same three models (the first 100 test pairs).
    print("\n3. Decoders compared on the first 100 test pairs: corpus BLEU, exact match (%), mean log P of the output\n")
    let subset = Array(0..<100)
    var decoderRows: [[String]] = []
    for decoder in CapstoneDecoder.all {
        for m in names.indices {
            var sampler = SeededRandom(seed: options.seed &+ 9)
            let outputs = subset.map { decode(m, testIDs.sources[$0], decoder, &sampler) }
            let hypotheses = outputs.map(words), golds = subset.map { references[$0] }
            decoderRows.append([decoder.name, names[m],
                                fixed(corpusBLEU(hypotheses: hypotheses.map(joined), referenceStreams: [golds.map(joined)], tokenize: .none).score, 1),
                                fixed(100 * exactMatch(hypotheses: hypotheses, references: golds), 1),
                                fixed(Double(outputs.map(\.logProbability).reduce(0, +)) / Double(outputs.count), 3)])
        }
    }
    printTable(["decoder", "model", "BLEU", "exact", "mean log P"], decoderRows)

    // Figures: the bottleneck curve and the training losses.
    let x = lengths.map(Double.init)
    // The legends sit outside the plot area, clear of the lines at 100.
    let labels = ["seq2seq without attention", "seq2seq with Bahdanau attention", "Transformer"]
    let curve = try writeSVG(linePlot(zip(labels, greedy).map { label, outputs in
        Series(label, x: x, y: lengths.map { score(outputs, length: $0).bleu })
    }, title: "The bottleneck: greedy corpus BLEU by source length", xLabel: "source length (words)", yLabel: "BLEU", width: 840, legendOutside: true),
        to: folder + "/bleu-by-length.svg")
    let exactCurve = try writeSVG(linePlot(zip(labels, greedy).map { label, outputs in
        Series(label, x: x, y: lengths.map { score(outputs, length: $0).exact })
    }, title: "The bottleneck: exact match by source length", xLabel: "source length (words)", yLabel: "exact match (%)", width: 840, legendOutside: true),
        to: folder + "/exact-match-by-length.svg")
    let losses = try writeSVG(linePlot([
        Series("seq2seq (cross-entropy)", y: recurrentLosses),
        Series("attention (cross-entropy)", y: attentionLosses),
        Series("Transformer (label-smoothed cross-entropy, ε = 0.1)", y: transformerLosses),
    ], title: "Training losses", xLabel: "step", yLabel: "loss", logY: true), to: folder + "/losses.svg")
    print("""

    Figures:
      \(curve.path)
      \(exactCurve.path)
      \(losses.path)
    Time: training \(fixed(trainedAt.timeIntervalSince(started), 1)) s, evaluation \(fixed(Date().timeIntervalSince(trainedAt), 1)) s.
    """)
}

/// The decoders of chapter 8 the capstone compares, all through `NextTokenModel`.
enum CapstoneDecoder {
    case greedy
    case beam(width: Int, alpha: Float)
    case sampling(temperature: Float, topP: Float?)

    static let all: [CapstoneDecoder] = [.greedy, .beam(width: 4, alpha: 0.7), .sampling(temperature: 1, topP: nil),
                                         .sampling(temperature: 0.7, topP: nil), .sampling(temperature: 1, topP: 0.9)]

    var name: String {
        switch self {
        case .greedy: "greedy"
        case .beam(let k, let alpha): "beam k = \(k), α = \(alpha)"
        case .sampling(let t, nil): "sampling T = \(t)"
        case .sampling(let t, let p?): "nucleus p = \(p), T = \(t)"
        }
    }

    func decode<State>(_ model: NextTokenModel<State>, rng: inout SeededRandom) -> DecodedSequence {
        let rules = DecodingRules(endToken: Vocabulary.endID)
        switch self {
        case .greedy: return greedyDecode(model, maxLength: 40, rules: rules)
        case .beam(let k, let alpha): return beamSearch(model, width: k, maxLength: 40, rules: rules, alpha: alpha)[0]
        case .sampling(let t, let p): return ancestralSample(model, maxLength: 40, rules: rules, temperature: t, topP: p, rng: &rng)
        }
    }
}

/// Tokens as one line, for BLEU with `tokenize: .none` (the tokens hold no spaces).
private func joined(_ tokens: [String]) -> String {
    tokens.joined(separator: " ")
}

/// A number with `places` decimals.
private func fixed(_ x: Double, _ places: Int) -> String {
    String(format: "%.\(places)f", x)
}
