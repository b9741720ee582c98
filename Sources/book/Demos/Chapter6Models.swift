import Attention
import Datasets
import Foundation
import Plotting
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Chapter 6, sections 4 to 6 of the demo: Luong's model against Bahdanau's, the
/// pointer-generator copying names it has never seen, and coverage against repetition.
/// Returns the figures it wrote.
func chapter6Models(_ options: DemoOptions, bahdanau: AttentionSeq2Seq, bahdanauTime: Double) throws -> [URL] {
    let folder = options.outputFolder.path
    var urls: [URL] = []

    // 5. Luong (general score, h̃, input feeding) against Bahdanau on the copy task of section 3,
    // whose Bahdanau model was trained with exactly these settings.
    let steps = options.steps ?? 500
    let lengths = 3...14
    let letters = Vocabulary(SequenceTasks.letters)
    let train = EncodedPairs(SequenceTasks.copy(count: 4000, lengths: lengths, seed: options.seed),
                             sourceVocabulary: letters, targetVocabulary: letters)
    let test = EncodedPairs(SequenceTasks.copy(count: 360, lengths: lengths, seed: options.seed + 1000),
                            sourceVocabulary: letters, targetVocabulary: letters)
    print("""

    5. Luong against Bahdanau: the copy task of section 3, E = 16, H = 32, Adam(lr 0.01), batches of 32, \(steps) steps each
       (Bahdanau's model is section 3's).
    """)
    var rng = SeededRandom(seed: options.seed)
    let luong = LuongSeq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count,
                             embeddingSize: 16, hiddenSize: 32, rng: &rng)
    var start = Date()
    try trainedOrLoaded("copy-luong", chapter: 6, options: options, steps: steps, parameters: luong.namedParameters) {
        trainLuongSeq2Seq(luong, on: train, steps: steps, batchSize: 32, learningRate: 0.01, rng: &rng,
                          logEvery: max(steps / 5, 1), log: { print("   Luong " + $0) })
    }
    let luongTime = Date().timeIntervalSince(start)
    let bahdanauDecode: ([Int], Int) -> [Int] = { greedyDecode(bahdanau, source: $0, maxLength: $1).tokens }
    let luongDecode: ([Int], Int) -> [Int] = { greedyDecode(luong, source: $0, maxLength: $1).tokens }
    let bahdanauByLength = tokenAccuracyByLength(on: test, decode: bahdanauDecode)
    let luongByLength = tokenAccuracyByLength(on: test, decode: luongDecode)
    print(String(format: "   parameters: Bahdanau %d, Luong %d; trained in %.1f s and %.1f s",
                 bahdanau.parameterCount, luong.parameterCount, bahdanauTime, luongTime))
    print("   Token accuracy on the test set by source length:")
    print("   length    " + lengths.map { String(format: "%5d", $0) }.joined())
    print("   Bahdanau  " + lengths.map { String(format: "%5.2f", bahdanauByLength[$0] ?? .nan) }.joined())
    print("   Luong     " + lengths.map { String(format: "%5.2f", luongByLength[$0] ?? .nan) }.joined())
    print(String(format: "   exact match: Bahdanau %.3f, Luong %.3f",
                 exactMatchAccuracy(on: test, decode: bahdanauDecode), exactMatchAccuracy(on: test, decode: luongDecode)))
    let xs = lengths.map(Double.init)
    urls.append(try writeSVG(linePlot([
        Series("Bahdanau (additive, sₜ₋₁)", x: xs, y: lengths.map { Double(bahdanauByLength[$0] ?? 0) }),
        Series("Luong (general, sₜ, h̃)", x: xs, y: lengths.map { Double(luongByLength[$0] ?? 0) }),
    ], title: "Copying: token accuracy by source length, Bahdanau and Luong", xLabel: "source length",
       yLabel: "token accuracy (test)"), to: "\(folder)/luong-bahdanau-accuracy.svg"))
    let example = SequenceTasks.randomSources(count: 1, lengths: 10...10, seed: options.seed + 7)[0]
    let b = greedyDecode(bahdanau, source: letters.encode(example), maxLength: example.count + 2)
    let l = greedyDecode(luong, source: letters.encode(example), maxLength: example.count + 2)
    urls.append(try writeSVG(sideBySide([
        heatmap(b.alignment, rowLabels: letters.decode(b.tokens), columnLabels: example,
                title: "Bahdanau: αₜⱼ from sₜ₋₁", range: 0...1),
        heatmap(l.alignment, rowLabels: letters.decode(l.tokens), columnLabels: example,
                title: "Luong: αₜⱼ from sₜ", range: 0...1),
    ]), to: "\(folder)/alignment-luong-bahdanau.svg"))
    func strongest(_ alignment: [[Float]]) -> String {
        alignment.map { row in String(row.indices.max { row[$0] < row[$1] }!) }.joined(separator: " ")
    }
    print("   \"\(example.joined(separator: " "))\": strongest source position of each output token")
    print("   Bahdanau: \(strongest(b.alignment))   Luong: \(strongest(l.alignment))")

    // 6. The pointer-generator, copying names it has never seen.
    let pgSteps = options.steps.map { $0 * 4 / 5 } ?? 400
    let namedTrain = NamesTask.pairs(count: 3000, lengths: 3...8, nameRange: NamesTask.trainingNames, seed: options.seed)
    let namedTest = NamesTask.pairs(count: 300, lengths: 3...8, nameRange: NamesTask.testNames, seed: options.seed + 1000)
    let vocabulary = NamesTask.vocabulary
    let pointerTrain = PointerPairs(namedTrain, vocabulary: vocabulary)
    let pointerTest = PointerPairs(namedTest, vocabulary: vocabulary)
    print("""

    6. Translating letters (a → b, …, f → a) and keeping names: "\(namedTrain[0].source.joined(separator: " "))" → "\(namedTrain[0].target.joined(separator: " "))".
       The letters are in the vocabulary (\(vocabulary.count) tokens), the names are not, and the test sentences' names
       never occur in training. E = 16, H = 32, Adam(lr 0.01), batches of 32, \(pgSteps) steps each.
    """)
    rng = SeededRandom(seed: options.seed)
    let plain = AttentionSeq2Seq(sourceVocabularySize: vocabulary.count, targetVocabularySize: vocabulary.count,
                                 embeddingSize: 16, hiddenSize: 32, rng: &rng)
    start = Date()
    try trainedOrLoaded("names-without-copying", chapter: 6, options: options, steps: pgSteps, parameters: plain.namedParameters) {
        trainAttentionSeq2Seq(plain, on: EncodedPairs(namedTrain, sourceVocabulary: vocabulary, targetVocabulary: vocabulary),
                              steps: pgSteps, batchSize: 32, learningRate: 0.01, rng: &rng,
                              logEvery: max(pgSteps / 4, 1), log: { print("   without copying " + $0) })
    }
    let plainTime = Date().timeIntervalSince(start)
    rng = SeededRandom(seed: options.seed)
    let pointer = PointerGeneratorSeq2Seq(vocabularySize: vocabulary.count, embeddingSize: 16, hiddenSize: 32, rng: &rng)
    start = Date()
    try trainedOrLoaded("names-pointer-generator", chapter: 6, options: options, steps: pgSteps, parameters: pointer.namedParameters) {
        trainPointerGenerator(pointer, on: pointerTrain, steps: pgSteps, batchSize: 32, learningRate: 0.01, rng: &rng,
                              logEvery: max(pgSteps / 4, 1), log: { print("   with copying    " + $0) })
    }
    let pointerTime = Date().timeIntervalSince(start)
    let plainScores = copyScores(on: pointerTest) { greedyDecode(plain, source: pointerTest.sources[$0], maxLength: $1).tokens }
    let pointerScores = copyScores(on: pointerTest) { greedyDecode(pointer, pointerTest, sentence: $0, maxLength: $1).tokens }
    print(String(format: "   trained in %.1f s and %.1f s", plainTime, pointerTime))
    printTable(["model", "names right (out of vocabulary)", "letters right", "exact match"], [
        ["attention, no copying", String(format: "%.3f", plainScores.unknownWordAccuracy),
         String(format: "%.3f", plainScores.knownTokenAccuracy), String(format: "%.3f", plainScores.exactMatch)],
        ["pointer-generator", String(format: "%.3f", pointerScores.unknownWordAccuracy),
         String(format: "%.3f", pointerScores.knownTokenAccuracy), String(format: "%.3f", pointerScores.exactMatch)],
    ])
    var nameGen: [Float] = [], letterGen: [Float] = []
    for index in 0..<pointerTest.count {
        let decoded = greedyDecode(pointer, pointerTest, sentence: index, maxLength: pointerTest.targets[index].count + 5)
        for (y, g) in zip(pointerTest.targets[index], decoded.generation) where y != Vocabulary.endID {
            if y >= vocabulary.count { nameGen.append(g) } else { letterGen.append(g) }
        }
    }
    print(String(format: "   mean p_gen where the target is a name %.3f, where it is a letter %.3f",
                 nameGen.reduce(0, +) / Float(max(nameGen.count, 1)), letterGen.reduce(0, +) / Float(max(letterGen.count, 1))))
    let shown = greedyDecode(pointer, pointerTest, sentence: 0, maxLength: pointerTest.targets[0].count + 5)
    let plainShown = greedyDecode(plain, source: pointerTest.sources[0], maxLength: pointerTest.targets[0].count + 5)
    print("   \"\(namedTest[0].source.joined(separator: " "))\" → without copying \"\(vocabulary.decode(plainShown.tokens, stripSpecial: true).joined(separator: " "))\", "
          + "with copying \"\(pointerTest.words(shown.tokens.filter { $0 != Vocabulary.endID }, sentence: 0).joined(separator: " "))\"")

    // 7. Coverage against repetition: a model trained on short strings, then trained on with and
    // without coverage, and tested on strings longer than any it saw.
    let baseSteps = options.steps.map { $0 * 3 / 5 } ?? 300
    let distinctTrain = EncodedPairs(distinctLetterCopies(count: 4000, lengths: 4...8, seed: options.seed),
                                     sourceVocabulary: letters, targetVocabulary: letters)
    let distinctTest = EncodedPairs(distinctLetterCopies(count: 600, lengths: 9...10, seed: options.seed + 1000),
                                    sourceVocabulary: letters, targetVocabulary: letters)
    print("""

    7. Coverage: copying strings of 4 to 8 different letters (a letter written twice is always a repetition),
       tested on 600 strings of 9 and 10 letters, longer than any in training. E = 16, H = 16, Adam(lr 0.01),
       batches of 32: \(baseSteps) steps without coverage, then \(baseSteps) more, once without and once with coverage (λ = 1).
    """)
    rng = SeededRandom(seed: options.seed)
    let base = AttentionSeq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count,
                                embeddingSize: 16, hiddenSize: 16, rng: &rng)
    start = Date()
    trainAttentionSeq2Seq(base, on: distinctTrain, steps: baseSteps, batchSize: 32, learningRate: 0.01, rng: &rng,
                          logEvery: max(baseSteps / 3, 1), log: { print("   first phase      " + $0) })
    let decodeBase: ([Int], Int) -> [Int] = { greedyDecode(base, source: $0, maxLength: $1).tokens }
    var rows = [["after the first phase", String(format: "%.3f", repetitionRate(on: distinctTest, decode: decodeBase)),
                 String(format: "%.3f", exactMatchAccuracy(on: distinctTest, decode: decodeBase))]]
    let snapshot = base.parameters.map(\.value)
    var phaseRNG = rng
    trainAttentionSeq2Seq(base, on: distinctTrain, steps: baseSteps, batchSize: 32, learningRate: 0.01, rng: &phaseRNG,
                          logEvery: max(baseSteps / 3, 1), log: { print("   without coverage " + $0) })
    rows.append(["then without coverage", String(format: "%.3f", repetitionRate(on: distinctTest, decode: decodeBase)),
                 String(format: "%.3f", exactMatchAccuracy(on: distinctTest, decode: decodeBase))])
    for (p, value) in zip(base.parameters, snapshot) { p.value = value }
    let covered = CoverageSeq2Seq(base, lambda: 1)
    phaseRNG = rng
    trainCoverageSeq2Seq(covered, on: distinctTrain, steps: baseSteps, batchSize: 32, learningRate: 0.01, rng: &phaseRNG,
                         logEvery: max(baseSteps / 3, 1), log: { print("   with coverage    " + $0) })
    let decodeCovered: ([Int], Int) -> [Int] = { greedyDecode(covered, source: $0, maxLength: $1).tokens }
    rows.append(["then with coverage", String(format: "%.3f", repetitionRate(on: distinctTest, decode: decodeCovered)),
                 String(format: "%.3f", exactMatchAccuracy(on: distinctTest, decode: decodeCovered))])
    print(String(format: "   the three runs took %.1f s", Date().timeIntervalSince(start)))
    printTable(["model", "outputs that repeat a letter", "exact match"], rows)
    return urls
}

/// Several SVG figures next to each other in one SVG document (each keeps its own size).
func sideBySide(_ figures: [String], gap: Double = 20) -> String {
    func size(_ svg: String, _ name: String) -> Double {
        guard let range = svg.range(of: "\(name)=\""), let end = svg[range.upperBound...].firstIndex(of: "\"") else { return 0 }
        return Double(svg[range.upperBound..<end]) ?? 0
    }
    var x = 0.0, body = ""
    for figure in figures {
        let inner = figure.replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "")
        body += "<g transform=\"translate(\(x), 0)\">\n" + inner + "\n</g>\n"
        x += size(figure, "width") + gap
    }
    let height = figures.map { size($0, "height") }.max() ?? 0
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(x - gap)\" height=\"\(height)\">\n" + body + "</svg>\n"
}
