import Datasets
import Foundation
import Plotting
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Chapter 5: the worked trace, then a GRU encoder-decoder trained to copy letter strings, its
/// accuracy by source length (the fixed-vector bottleneck), and the same model reading the source
/// reversed (Sutskever et al. 2014), and the same copying task learned by an LSTM encoder-decoder.
let chapter5Demo = Demo(chapter: 5, title: "a GRU encoder-decoder: the worked trace and the bottleneck") { options in
    let folder = options.outputFolder.path
    let demoStart = Date()

    // 1. The worked trace.
    print("1. The worked trace: a GRU seq2seq (E = 8, H = 16) trained on 48 sentences \"pronoun be det noun\".")
    let trace = WorkedTrace(log: { print("   " + $0) })
    print("   Greedy decoding of \"I am a student\":")
    print("   step  input      output     P(output)")
    for (t, step) in trace.translate(["I", "am", "a", "student"]).enumerated() {
        print("   \(t + 1)     " + step.input.padding(toLength: 11, withPad: " ", startingAt: 0)
              + step.output.padding(toLength: 11, withPad: " ", startingAt: 0) + String(format: "%.3f", step.probability))
    }

    // 2. The bottleneck: copy strings of 2 to 12 letters through one 64-number vector.
    let steps = options.steps ?? 1600
    let lengths = 2...12
    let letters = Vocabulary(SequenceTasks.letters)
    let samplingK = max(1, Double(steps) / 6.5)
    let schedule = SamplingSchedule.inverseSigmoid(k: samplingK)
    let finalEpsilon = schedule.teacherForcingProbability(step: steps - 1)
    let train = SequenceTasks.copy(count: 4000, lengths: lengths, seed: options.seed)
    let test = SequenceTasks.copy(count: 550, lengths: lengths, seed: options.seed + 1000)
    print("""

    2. Copying strings of \(lengths.lowerBound) to \(lengths.upperBound) letters (a to j) through the context vector.
       GRU encoder and decoder, E = 16, H = 64; Adam(lr 0.005), batches of 32, \(steps) steps (--steps sets the number).
       Once reading the source as it is, once reading it reversed (the target is unchanged), and once
       as is with scheduled sampling: inverse-sigmoid ε, k = \(Int(samplingK)), from 1 down to \(String(format: "%.2f", finalEpsilon)).
    """)
    var curves: [Series] = []
    var table: [(String, [Int: Float], Float)] = []
    let runs: [(name: String, label: String, reversed: Bool, schedule: SamplingSchedule)] = [
        ("source as is", "as is   ", false, .teacherForcing),
        ("source reversed", "reversed", true, .teacherForcing),
        ("as is, scheduled sampling", "sampled ", false, schedule),
    ]
    for (name, label, reversed, runSchedule) in runs {
        print("\n   \(name):")
        var rng = SeededRandom(seed: options.seed)
        let model = Seq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count,
                            embeddingSize: 16, hiddenSize: 64, rng: &rng)
        let data = EncodedPairs(train, sourceVocabulary: letters, targetVocabulary: letters, reverseSource: reversed)
        let start = Date()
        try trainedOrLoaded("gru-copy-" + label.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "-"), chapter: 5, options: options, steps: steps,
                            parameters: model.namedParameters) {
            trainSeq2Seq(model, on: data, steps: steps, batchSize: 32, learningRate: 0.005, schedule: runSchedule, rng: &rng,
                         logEvery: max(steps / 6, 1), log: { print("   " + $0) })
        }
        let testData = EncodedPairs(test, sourceVocabulary: letters, targetVocabulary: letters, reverseSource: reversed)
        let byLength = tokenAccuracyByLength(model, on: testData)
        let exact = exactMatchAccuracy(model, on: testData)
        print(String(format: "   trained in %.1f s; test exact match %.3f", Date().timeIntervalSince(start), exact))
        // Exposure bias: the same test targets scored with gold inputs and with the model's own.
        var unused = SeededRandom(seed: 0)
        let forced = model.teacherForcedLoss(sources: testData.sources, targets: testData.targets).value.scalar
        let free = model.scheduledSamplingLoss(sources: testData.sources, targets: testData.targets, teacherForcing: 0, rng: &unused).value.scalar
        print(String(format: "   test loss per token: %.3f fed the gold previous tokens, %.3f fed its own", forced, free))
        table.append((name, byLength, exact))
        let xs = byLength.keys.sorted()
        curves.append(Series(name, x: xs.map(Double.init), y: xs.map { Double(byLength[$0]!) }))
    }
    // 3. The same task with an LSTM encoder-decoder in place of the GRU one.
    print("""

    3. The same copying task (source as is, same data, sizes, optimiser and steps) with an LSTM
       encoder-decoder in place of the GRU one:
    """)
    var lstmRNG = SeededRandom(seed: options.seed)
    let lstm = LSTMSeq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count,
                           embeddingSize: 16, hiddenSize: 64, rng: &lstmRNG)
    var gruRNG = SeededRandom(seed: options.seed)
    let gruCount = Seq2Seq(sourceVocabularySize: letters.count, targetVocabularySize: letters.count,
                           embeddingSize: 16, hiddenSize: 64, rng: &gruRNG).parameterCount
    print("   parameters: GRU encoder-decoder \(gruCount), LSTM encoder-decoder \(lstm.parameterCount)")
    let lstmData = EncodedPairs(train, sourceVocabulary: letters, targetVocabulary: letters)
    let lstmTest = EncodedPairs(test, sourceVocabulary: letters, targetVocabulary: letters)
    let lstmStart = Date()
    try trainedOrLoaded("lstm-copy", chapter: 5, options: options, steps: steps, parameters: lstm.namedParameters) {
        trainLSTMSeq2Seq(lstm, on: lstmData, steps: steps, batchSize: 32, learningRate: 0.005, rng: &lstmRNG,
                         logEvery: max(steps / 6, 1), log: { print("   " + $0) })
    }
    let lstmDecode: ([Int], Int) -> [Int] = { greedyDecode(lstm, source: $0, maxLength: $1).tokens }
    let lstmByLength = tokenAccuracyByLength(on: lstmTest, decode: lstmDecode)
    let lstmExact = exactMatchAccuracy(on: lstmTest, decode: lstmDecode)
    print(String(format: "   trained in %.1f s; test exact match %.3f (GRU, source as is: %.3f)",
                 Date().timeIntervalSince(lstmStart), lstmExact, table[0].2))
    table.append(("LSTM, source as is", lstmByLength, lstmExact))
    curves.append(Series("LSTM, source as is", x: lengths.map(Double.init), y: lengths.map { Double(lstmByLength[$0] ?? 0) }))

    print("\n   Token accuracy on the test set by source length:")
    print("   length " + lengths.map { String(format: "%5d", $0) }.joined())
    for ((_, byLength, _), label) in zip(table, runs.map(\.label) + ["LSTM    "]) {
        print("   " + label + lengths.map { String(format: "%5.2f", byLength[$0] ?? .nan) }.joined())
    }
    print(String(format: "   (the whole demo so far: %.0f s)", Date().timeIntervalSince(demoStart)))
    let url = try writeSVG(linePlot(curves, title: "Copying through a fixed vector: accuracy falls with source length",
                                    xLabel: "source length", yLabel: "token accuracy (test)"),
                           to: "\(folder)/accuracy-by-length.svg")
    // 3. The three scheduled-sampling schedules of section 5.7.
    let examples: [(String, SamplingSchedule)] = [
        ("linear: max(0.1, 1 − 0.001 i)", .linear(k: 1, c: 0.001, minimum: 0.1)),
        ("exponential: 0.99^i", .exponential(k: 0.99)),
        ("inverse sigmoid: 100 / (100 + exp(i / 100))", .inverseSigmoid(k: 100)),
    ]
    let stepsAxis = Array(stride(from: 0, through: 1000, by: 10))
    let scheduleURL = try writeSVG(linePlot(examples.map { name, schedule in
        Series(name, x: stepsAxis.map(Double.init), y: stepsAxis.map { schedule.teacherForcingProbability(step: $0) })
    }, title: "Scheduled sampling: probability of feeding the gold token", xLabel: "training step i", yLabel: "εᵢ"),
                                   to: "\(folder)/sampling-schedules.svg")
    print("\nWrote \(url.path) and \(scheduleURL.path).")
}
