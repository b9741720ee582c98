import Attention
import Datasets
import Foundation
import Plotting
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Chapter 6: the worked example, the reference model's size, then the same copy task learned
/// with and without attention (accuracy by source length), the alignment matrices of copying
/// (diagonal) and of the toy English → French translation (crossing at the adjectives); then
/// Luong's model against Bahdanau's, the pointer-generator on names and coverage against
/// repetition (Chapter6Models.swift).
let chapter6Demo = Demo(chapter: 6, title: "attention: alignments, and accuracy by source length with and without it") { options in
    let folder = options.outputFolder.path
    let demoStart = Date()

    // 1. The worked example of section 6.3.
    let states = Variable.constant(Tensor(shape: [1, 3, 3], scalars: [1, 0, 0, 0, 1, 0, 0.2, 0.2, 0.6]))
    let e = dotScores(query: .constant(Tensor([[0.5, 0.8, 0.3]])), states: states)
    let alpha = attentionWeights(e)
    let c = contextVector(weights: alpha, states: states)
    func show(_ t: Tensor) -> String { "[" + t.scalars.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "]" }
    print("""
    1. Decoder step 3 of the worked example, dot scores against h₁ = [1, 0, 0], h₂ = [0, 1, 0], h₃ = [0.2, 0.2, 0.6]:
       e = \(show(e.value))   α = \(show(alpha.value))   c₃ = \(show(c.value))
    """)

    // 2. The reference model.
    var referenceRNG = SeededRandom(seed: options.seed)
    let reference = AttentionSeq2Seq(sourceVocabularySize: 20, targetVocabularySize: 20, embeddingSize: 32,
                                     hiddenSize: 64, rng: &referenceRNG)
    print("\n2. The reference model (bidirectional GRU encoder, additive attention, E = 32, H = 64, V = 20/20):")
    for part in ReferenceModelSize().parts {
        print("   " + part.name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%7d", part.count))
    }
    print("   built for real: \(reference.parameterCount) parameters")

    // 3. Copying with and without attention, same sizes, same steps.
    let steps = options.steps ?? 500
    let lengths = 3...14
    let letters = Vocabulary(SequenceTasks.letters)
    let train = EncodedPairs(SequenceTasks.copy(count: 4000, lengths: lengths, seed: options.seed),
                             sourceVocabulary: letters, targetVocabulary: letters)
    let test = EncodedPairs(SequenceTasks.copy(count: 360, lengths: lengths, seed: options.seed + 1000),
                            sourceVocabulary: letters, targetVocabulary: letters)
    print("""

    3. Copying strings of \(lengths.lowerBound) to \(lengths.upperBound) letters, bidirectional GRU encoder, E = 16, H = 32,
       Adam(lr 0.01), batches of 32, \(steps) steps each (--steps sets the number).
    """)
    print("   without attention (chapter 5's Seq2Seq: the decoder sees only s₀ = tanh(W_b c)):")
    var rng = SeededRandom(seed: options.seed)
    let plain = Seq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count, embeddingSize: 16,
                        hiddenSize: 32, bidirectional: true, rng: &rng)
    var start = Date()
    try trainedOrLoaded("copy-without-attention", chapter: 6, options: options, steps: steps, parameters: plain.namedParameters) {
        trainSeq2Seq(plain, on: train, steps: steps, batchSize: 32, learningRate: 0.01, rng: &rng,
                     logEvery: max(steps / 5, 1), log: { print("   " + $0) })
    }
    print(String(format: "   trained in %.1f s", Date().timeIntervalSince(start)))
    print("   with additive attention:")
    rng = SeededRandom(seed: options.seed)
    let attentive = AttentionSeq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count,
                                     embeddingSize: 16, hiddenSize: 32, rng: &rng)
    start = Date()
    try trainedOrLoaded("copy-bahdanau", chapter: 6, options: options, steps: steps, parameters: attentive.namedParameters) {
        trainAttentionSeq2Seq(attentive, on: train, steps: steps, batchSize: 32, learningRate: 0.01, rng: &rng,
                              logEvery: max(steps / 5, 1), log: { print("   " + $0) })
    }
    let attentiveTime = Date().timeIntervalSince(start)
    print(String(format: "   trained in %.1f s", attentiveTime))
    let plainByLength = RecurrentNetworks.tokenAccuracyByLength(plain, on: test)
    let attentiveByLength = Attention.tokenAccuracyByLength(attentive, on: test)
    print("\n   Token accuracy on the test set by source length:")
    print("   length    " + lengths.map { String(format: "%5d", $0) }.joined())
    print("   without   " + lengths.map { String(format: "%5.2f", plainByLength[$0] ?? .nan) }.joined())
    print("   with      " + lengths.map { String(format: "%5.2f", attentiveByLength[$0] ?? .nan) }.joined())
    print(String(format: "   exact match: without %.3f, with %.3f",
                 RecurrentNetworks.exactMatchAccuracy(plain, on: test), Attention.exactMatchAccuracy(attentive, on: test)))
    let xs = lengths.map(Double.init)
    let accuracyURL = try writeSVG(linePlot([
        Series("without attention", x: xs, y: lengths.map { Double(plainByLength[$0] ?? 0) }),
        Series("with attention", x: xs, y: lengths.map { Double(attentiveByLength[$0] ?? 0) }),
    ], title: "Copying: token accuracy by source length, same model size and steps",
       xLabel: "source length", yLabel: "token accuracy (test)"), to: "\(folder)/accuracy-by-length.svg")

    // The alignment of one copied string: near-diagonal.
    let example = SequenceTasks.randomSources(count: 1, lengths: 10...10, seed: options.seed + 7)[0]
    let copyDecoding = greedyDecode(attentive, source: letters.encode(example), maxLength: example.count + 2)
    let copyURL = try writeSVG(heatmap(copyDecoding.alignment, rowLabels: letters.decode(copyDecoding.tokens),
                                       columnLabels: example, title: "Copying: αₜⱼ (rows: output, columns: source)",
                                       range: 0...1), to: "\(folder)/alignment-copy.svg")
    print("\n   Copying \"\(example.joined(separator: " "))\" → \"\(letters.decode(copyDecoding.tokens, stripSpecial: true).joined(separator: " "))\"")

    // 4. The toy translation, where adjectives move behind their noun.
    let translationSteps = options.steps.map { $0 * 2 / 5 } ?? 200
    let pairs = ToyTranslation.pairs(count: 2000, seed: options.seed)
    let english = Vocabulary(collecting: pairs.map(\.source)), french = Vocabulary(collecting: pairs.map(\.target))
    let translationData = EncodedPairs(pairs, sourceVocabulary: english, targetVocabulary: french)
    let translationTest = EncodedPairs(ToyTranslation.pairs(count: 200, seed: options.seed + 1000),
                                       sourceVocabulary: english, targetVocabulary: french)
    print("""

    4. English → French toy translation (\(english.count) and \(french.count) tokens), E = 16, H = 32,
       batches of 32, \(translationSteps) steps:
    """)
    rng = SeededRandom(seed: options.seed)
    let translator = AttentionSeq2Seq(sourceVocabularySize: english.count, targetVocabularySize: french.count,
                                      embeddingSize: 16, hiddenSize: 32, rng: &rng)
    try trainedOrLoaded("translation-bahdanau", chapter: 6, options: options, steps: translationSteps,
                        parameters: translator.namedParameters) {
        trainAttentionSeq2Seq(translator, on: translationData, steps: translationSteps, batchSize: 32, learningRate: 0.01,
                              rng: &rng, logEvery: max(translationSteps / 4, 1), log: { print("   " + $0) })
    }
    print(String(format: "   test exact match %.3f", Attention.exactMatchAccuracy(translator, on: translationTest)))
    let sentence = ["the", "black", "cat", "sees", "a", "green", "car"]
    let translated = greedyDecode(translator, source: english.encode(sentence), maxLength: 12)
    print("   \"\(sentence.joined(separator: " "))\" → \"\(french.decode(translated.tokens, stripSpecial: true).joined(separator: " "))\""
          + " (rule: \"\(ToyTranslation.translate(sentence)!.joined(separator: " "))\")")
    let strongest = translated.alignment.map { row in sentence[row.indices.max { row[$0] < row[$1] }!] }
    print("   each French word's strongest source word: "
          + zip(french.decode(translated.tokens), strongest).map { "\($0)←\($1)" }.joined(separator: "  "))
    let translationURL = try writeSVG(heatmap(translated.alignment, rowLabels: french.decode(translated.tokens),
                                              columnLabels: sentence,
                                              title: "English → French: αₜⱼ crosses where the adjective moves",
                                              range: 0...1), to: "\(folder)/alignment-translation.svg")
    let more = try chapter6Models(options, bahdanau: attentive, bahdanauTime: attentiveTime)
    print("\nWrote \(([accuracyURL, copyURL, translationURL] + more).map(\.path).joined(separator: ", ")).")
    print(String(format: "The whole demo took %.0f s.", Date().timeIntervalSince(demoStart)))
}
