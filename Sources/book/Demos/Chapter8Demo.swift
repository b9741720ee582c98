import Decoding
import Foundation
import Plotting
import ScalarAutodiff
import Tensors

/// Chapter 8: greedy, beam and sampling decoders on the chapter's lookup tables, then on a small
/// window language model trained here on a built-in corpus.
let chapter8Demo = Demo(chapter: 8, title: "greedy, beam search and sampling on a toy table and a small language model") { options in
    let folder = options.outputFolder.path

    // 1. The chapter's table: greedy misses "A feline sat", beam search with k ≥ 2 finds it.
    let toy = LookupTableModel.catsAndDogs
    let toyRules = DecodingRules(endToken: toy.id("</s>"))
    print("1. The chapter's lookup table (section 8.1, 8.3)\n")
    printTable(["decoder", "best sequence", "log P"], [
        ["greedy", toy.words(greedyDecode(toy.model, maxLength: 10, rules: toyRules).tokens),
         format(greedyDecode(toy.model, maxLength: 10, rules: toyRules).logProbability)],
    ] + [1, 2, 3, 5].map { k in
        let best = beamSearch(toy.model, width: k, maxLength: 10, rules: toyRules)[0]
        return ["beam k = \(k)", toy.words(best.tokens), format(best.logProbability)]
    })

    // 2. Length normalisation on "I am" against "I am a student".
    let student = LookupTableModel.iAmAStudent
    let studentRules = DecodingRules(endToken: student.id("</s>"))
    print("\n2. Length normalisation (section 8.4): beam k = 2, score = log P / L^α\n")
    var rows: [[String]] = []
    for alpha: Float in [0, 0.7, 1] {
        for (rank, s) in beamSearch(student.model, width: 2, maxLength: 10, rules: studentRules, alpha: alpha).enumerated() {
            rows.append(["\(alpha)", "\(rank + 1)", student.words(s.tokens), format(s.logProbability), "\(s.length)", format(s.lengthNormalisedScore(alpha: alpha))])
        }
    }
    printTable(["α", "rank", "sequence", "log P", "L", "score"], rows)

    // 3. Nucleus and top-k filters on the chapter's distribution.
    print("\n3. Filtering the distribution [0.5, 0.2, 0.15, 0.1, 0.05] (section 8.5)\n")
    let p: [Float] = [0.5, 0.2, 0.15, 0.1, 0.05]
    printTable(["filter", "p′"], [
        ["none", p.map { format($0, 3) }.joined(separator: "  ")],
        ["top-p 0.9", nucleusFilter(p, p: 0.9).map { format($0, 3) }.joined(separator: "  ")],
        ["top-p 0.5", nucleusFilter(p, p: 0.5).map { format($0, 3) }.joined(separator: "  ")],
        ["top-k 2", samplingDistribution(p.map { log($0) }, topK: 2).map { format($0, 3) }.joined(separator: "  ")],
        ["T = 0.5", samplingDistribution(p.map { log($0) }, temperature: 0.5).map { format($0, 3) }.joined(separator: "  ")],
        ["T = 2", samplingDistribution(p.map { log($0) }, temperature: 2).map { format($0, 3) }.joined(separator: "  ")],
    ])

    // Sampling the table's sentences: how often each comes up under each setting.
    let sentences5 = ["The cat sat", "The cat ran", "The dog sat", "A feline sat", "A dog ran"]
    let toySettings: [(String, Float, Int?, Float?)] = [
        ("pure", 1, nil, nil), ("T = 0.5", 0.5, nil, nil), ("T = 2", 2, nil, nil), ("top-k 1", 1, 1, nil), ("top-p 0.6", 1, nil, 0.6),
    ]
    print("\nSampling 2,000 sentences from the table per setting (section 8.5): how often each comes up\n")
    printTable(["setting"] + sentences5, toySettings.map { name, temperature, topK, topP in
        var sampler = SeededRandom(seed: options.seed)
        var counts: [String: Int] = [:]
        for _ in 0..<2_000 {
            let s = ancestralSample(toy.model, maxLength: 10, rules: toyRules, temperature: temperature, topK: topK, topP: topP, rng: &sampler)
            counts[toy.words(s.tokens.dropLast()), default: 0] += 1
        }
        return [name] + sentences5.map { format(Float(counts[$0, default: 0]) / 2_000) }
    })

    // 4. A small language model trained on the built-in corpus.
    let words = ["<s>", "</s>"] + Array(Set(chapter8Corpus.flatMap { $0.split(separator: " ").map(String.init) })).sorted()
    let id = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, $0) })
    let sentences = chapter8Corpus.map { $0.split(separator: " ").map { id[String($0)]! } }
    func text(_ tokens: [Int]) -> String { tokens.map { words[$0] }.joined(separator: " ") }
    var rng = SeededRandom(seed: options.seed)
    let lm = WindowLanguageModel(vocabularySize: words.count, context: 2, dimension: 16, hiddenSize: 64, startToken: 0, rng: &rng)
    let (contexts, targets) = lm.trainingExamples(sentences, endToken: 1)
    let steps = options.steps ?? 300
    print("""

    4. A window language model (section 8.7): the previous 2 words → 16-d embeddings → 64 tanh → \(words.count) words.
    \(chapter8Corpus.count) sentences, \(targets.count) next-word examples, full-batch Adam (lr 0.01), \(steps) steps; loss in nats per word.

    """)
    var adam = Adam(lm.parameters, learningRate: 0.01)
    let start = Date()
    let losses = trainingLoop(steps: steps, logEvery: max(steps / 6, 1)) { _ in
        let loss = lm.loss(contexts: contexts, targets: targets)
        adam.zeroGradients()
        loss.backward()
        adam.step()
        return loss.value.scalar
    }
    print(String(format: "Trained in %.1f s; final loss %.3f nats per word (uniform: log %d = %.3f).",
                 Date().timeIntervalSince(start), losses.last ?? .nan, words.count, log(Double(words.count))))

    let model = lm.nextTokenModel()
    let rules = DecodingRules(endToken: 1)
    print("\nSearch (greedy, beam k = 1, 3, 5; α = 0 raw log P, α = 0.7 normalised):\n")
    rows = [["greedy", "–", text(greedyDecode(model, maxLength: 12, rules: rules).tokens),
             format(greedyDecode(model, maxLength: 12, rules: rules).logProbability), "", ""]]
    for k in [1, 3, 5] {
        for alpha: Float in [0, 0.7] {
            let best = beamSearch(model, width: k, maxLength: 12, rules: rules, alpha: alpha)[0]
            rows.append(["beam k = \(k)", "\(alpha)", text(best.tokens), format(best.logProbability), "\(best.length)", format(best.lengthNormalisedScore(alpha: alpha))])
        }
    }
    printTable(["decoder", "α", "best sequence", "log P", "L", "score"], rows)

    print("\nDiverse beam search, 3 groups of 1, λ = 2 (section 8.6), and after the prompt \"the dog\":\n")
    let diverse = diverseBeamSearch(model, groups: 3, widthPerGroup: 1, diversityStrength: 2, maxLength: 12, rules: rules)
    let prompt = [id["the"]!, id["dog"]!]
    let prompted = beamSearch(lm.nextTokenModel(prompt: prompt), width: 3, maxLength: 12, rules: rules)
    printTable(["decoder", "sequence", "log P"],
               diverse.enumerated().map { ["group \($0.offset + 1)", text($0.element[0].tokens), format($0.element[0].logProbability)] }
               + prompted.map { ["\"the dog\" + beam 3", "the dog " + text($0.tokens), format($0.logProbability)] })

    print("\nSampling, 4 sentences per setting (seed \(options.seed); log P is the model's):\n")
    rows = []
    let settings: [(String, Float, Int?, Float?, Float)] = [
        ("pure, T = 1", 1, nil, nil, 1), ("T = 0.5", 0.5, nil, nil, 1), ("T = 1.5", 1.5, nil, nil, 1),
        ("top-k 5", 1, 5, nil, 1), ("top-p 0.9", 1, nil, 0.9, 1), ("top-p 0.9, θ = 1.5", 1, nil, 0.9, 1.5),
    ]
    for (name, temperature, topK, topP, theta) in settings {
        var sampler = SeededRandom(seed: options.seed &+ 8)
        for _ in 0..<4 {
            let s = ancestralSample(model, maxLength: 12, rules: DecodingRules(endToken: 1, repetitionPenalty: theta),
                           temperature: temperature, topK: topK, topP: topP, rng: &sampler)
            rows.append([name, text(s.tokens), format(s.logProbability)])
        }
    }
    printTable(["setting", "sample", "log P"], rows)

    // Figures: the best log P against the beam width; the nucleus of the first word.
    let widths = Array(1...8)
    let raw = widths.map { beamSearch(model, width: $0, maxLength: 12, rules: rules)[0].logProbability }
    let normalised = widths.map { beamSearch(model, width: $0, maxLength: 12, rules: rules, alpha: 0.7)[0].lengthNormalisedScore(alpha: 0.7) }
    let toyBest = widths.map { beamSearch(toy.model, width: $0, maxLength: 10, rules: toyRules)[0].logProbability }
    print("\nBest sequence against beam width:\n")
    printTable(["k"] + widths.map(String.init), [
        ["LM, log P (α = 0)"] + raw.map { format($0) },
        ["LM, log P / L^0.7"] + normalised.map { format($0) },
        ["table, log P"] + toyBest.map { format($0) },
    ])
    let curve = try writeSVG(linePlot([Series("LM: log P", x: widths.map(Double.init), y: raw),
                                       Series("LM: log P / L^0.7", x: widths.map(Double.init), y: normalised),
                                       Series("table: log P", x: widths.map(Double.init), y: toyBest)],
                                      title: "Score of the best sequence against the beam width k",
                                      xLabel: "beam width k", yLabel: "score"),
                             to: "\(folder)/score-vs-beam-width.svg")
    let first = lm.logProbabilities(after: prompt).map { exp($0) }
    let top = first.indices.sorted { first[$0] > first[$1] }.prefix(10)
    let cuts: [Float] = [1, 0.9, 0.7, 0.5]
    let nucleus = cuts.map { cut in
        let kept = nucleusFilter(first, p: cut)
        return top.map { kept[$0] }
    }
    let map = try writeSVG(heatmap(nucleus, rowLabels: cuts.map { "top-p \($0)" }, columnLabels: top.map { words[$0] },
                                   title: "The next word after \"the dog\": the nucleus for four values of p",
                                   range: 0...1, showValues: true, cellSize: 44),
                           to: "\(folder)/nucleus.svg")
    print("\nWrote \(curve.path) and \(map.path).")
}

/// A number with `places` decimals.
private func format(_ x: Float, _ places: Int = 3) -> String {
    String(format: "%.\(places)f", x)
}
