import ScalarAutodiff
import Tensors
import Testing
import Transformers

/// The blocks, the three families and cached decoding.
@Suite("Chapter 7: blocks, models and decoding")
struct Chapter7ModelTests {
    static let configuration = TransformerConfiguration(vocabularySize: 11, dimension: 8, heads: 2, hidden: 16,
                                                        layers: 2, maxLength: 16, padding: 0)

    @Test("Blocks keep the shape [batch, t, d]; cross-attention weights are [batch, h, t, s]")
    func blockShapes() {
        var rng = SeededRandom(seed: 73)
        let dropout = Dropout(probability: 0, seed: 1)
        let encoderBlock = EncoderBlock(dimension: 8, heads: 2, hidden: 16, dropout: dropout, rng: &rng)
        let decoderBlock = DecoderBlock(dimension: 8, heads: 2, hidden: 16, dropout: dropout, rng: &rng)
        let source = Variable.constant(Tensor.randomNormal([3, 5, 8], rng: &rng))
        let target = Variable.constant(Tensor.randomNormal([3, 4, 8], rng: &rng))
        let (encoded, selfWeights) = encoderBlock.forward(source)
        #expect(encoded.shape == [3, 5, 8] && selfWeights.shape == [3, 2, 5, 5])
        let (decoded, crossWeights) = decoderBlock.forward(target, memory: encoded, selfMask: Tensor.causalMask(4), memoryMask: nil)
        #expect(decoded.shape == [3, 4, 8] && crossWeights.shape == [3, 2, 4, 5])
        let rowSums = crossWeights.value.sum(axis: -1)
        #expect(rowSums.isClose(to: Tensor.ones([3, 2, 4]), tolerance: 1e-5), "each query's weights over the source sum to 1")
        #expect(encoderBlock.parameters.count == 8 + 4 + 4, "4 projections (W, b), 2 FFN layers (W, b), 2 norms (γ, β)")
        #expect(decoderBlock.parameters.count == 16 + 4 + 6)
    }

    @Test("A post-norm block is LN(x + f(x)) twice: each output position has mean 0 and variance 1 before γ and β")
    func postNormBlock() {
        var rng = SeededRandom(seed: 77)
        let block = EncoderBlock(dimension: 8, heads: 2, hidden: 16, normFirst: false, dropout: Dropout(probability: 0, seed: 0), rng: &rng)
        let x = Variable.constant(Tensor.randomNormal([2, 3, 8], rng: &rng))
        let y = block(x).value
        let h = block.norm1(x + block.selfAttention(x, x))
        #expect(y.isClose(to: block.norm2(h + block.feedForward(h)).value, tolerance: 1e-5))
        let mean = y.mean(axis: -1), variance = (y * y).mean(axis: -1) - mean * mean
        #expect(mean.isClose(to: Tensor.zeros([2, 3]), tolerance: 1e-5) && variance.isClose(to: Tensor.ones([2, 3]), tolerance: 1e-3),
                "means \(mean), variances \(variance)")
        let preNorm = EncoderBlock(selfAttention: block.selfAttention, feedForward: block.feedForward, norm1: block.norm1, norm2: block.norm2)
        #expect(!preNorm(x).value.isClose(to: y, tolerance: 1e-2), "the same weights in pre-norm order give another block")
    }

    @Test("The three families from the same blocks: logits [batch, t, vocabulary]")
    func familyShapes() {
        let c = Self.configuration
        let tokens = [[3, 4, 5, 6], [7, 8, 0, 0]]
        #expect(EncoderOnlyModel(c, seed: 1)(tokens).shape == [2, 4, 11])
        #expect(DecoderOnlyModel(c, seed: 1)(tokens).shape == [2, 4, 11])
        #expect(DecoderOnlyModel(c, seed: 1)(tokens, prefix: 2).shape == [2, 4, 11])
        let model = EncoderDecoderModel(c, seed: 1)
        #expect(model(source: tokens, target: [[1, 2, 3], [1, 4, 0]]).shape == [2, 3, 11])
        let d = 8, ffn = 16
        let encoderBlock = 4 * (d * d + d) + (d * ffn + ffn) + (ffn * d + d) + 4 * d
        let decoderBlock = encoderBlock + 4 * (d * d + d) + 2 * d
        let expected = 11 * d + 2 * encoderBlock + 2 * d + 2 * decoderBlock + 2 * d + (d * 11 + 11)
        #expect(model.parameters.reduce(0) { $0 + $1.value.count } == expected,
                "embedding + 2 encoder blocks + norm + 2 decoder blocks + norm + output = \(expected)")
    }

    @Test("The demo's model (vocabulary 13, d = 32, 4 heads, d_ff = 64, 2 + 2 blocks) has 43,725 parameters")
    func demoParameterCount() {
        let c = TransformerConfiguration(vocabularySize: 13, dimension: 32, heads: 4, hidden: 64, layers: 2, maxLength: 16)
        let count = EncoderDecoderModel(c).parameters.reduce(0) { $0 + $1.value.count }
        #expect(count == 43_725, "13·32 + 2·8,544 + 64 + 2·12,832 + 64 + 429 = 43,725, got \(count)")
    }

    @Test("Cached and uncached greedy decoding give the same tokens and the same logits")
    func cachedEqualsUncached() {
        let model = EncoderDecoderModel(Self.configuration, seed: 5)
        let source = [[3, 4, 5, 6, 7], [8, 9, 10, 0, 0]]
        let cached = model.greedyDecode(source, start: 1, end: 2, maxLength: 8, cached: true)
        let uncached = model.greedyDecode(source, start: 1, end: 2, maxLength: 8, cached: false)
        #expect(cached.tokens == uncached.tokens)
        #expect(cached.logits.count == uncached.logits.count && cached.logits.count > 3)
        for (a, b) in zip(cached.logits, uncached.logits) {
            #expect(a.isClose(to: b, tolerance: 1e-4), "step logits differ: \(a) vs \(b)")
        }
    }

    @Test("Dropout changes the training forward pass; greedy decoding turns it off, so both paths still agree")
    func dropoutOffWhileDecoding() {
        var c = Self.configuration
        c.dropout = 0.5
        let model = EncoderDecoderModel(c, seed: 9)
        let source = [[3, 4, 5]], target = [[1, 5, 4]]
        #expect(!model(source: source, target: target).value.isClose(to: model(source: source, target: target).value, tolerance: 1e-3),
                "two training-mode passes draw different dropout masks")
        let cached = model.greedyDecode(source, start: 1, end: 2, maxLength: 6, cached: true)
        let uncached = model.greedyDecode(source, start: 1, end: 2, maxLength: 6, cached: false)
        #expect(cached.tokens == uncached.tokens)
        #expect(model.dropout.isTraining, "greedyDecode restores the training mode it found")
    }

    @Test("Decoder-only: cached generation gives the same tokens and logits as rerunning the model")
    func decoderOnlyCache() {
        var c = Self.configuration
        c.padding = nil
        let model = DecoderOnlyModel(c, seed: 10)
        let prompts = [[3, 4, 5], [6, 7, 8]]
        let cached = model.greedyContinue(prompts, count: 6, cached: true)
        let uncached = model.greedyContinue(prompts, count: 6, cached: false)
        #expect(cached.tokens == uncached.tokens && cached.tokens[0].count == 6)
        for (a, b) in zip(cached.logits, uncached.logits) {
            #expect(a.isClose(to: b, tolerance: 1e-4), "step logits differ: \(a) vs \(b)")
        }
        var state = model.startGenerating()
        for token in [3, 4, 5] { _ = model.step([token], state: &state) }
        #expect(state.caches[1].length == 3 && state.position == 3)
    }

    @Test("Prefix LM: a cache filled from the whole prefix at once gives the same tokens and logits as rerunning the model")
    func prefixLMCache() {
        var c = Self.configuration
        c.padding = nil
        let model = DecoderOnlyModel(c, seed: 11)
        let prompts = [[3, 4, 5, 6], [7, 8, 9, 10]]
        let cached = model.greedyContinue(prompts, count: 5, cached: true, prefixLM: true)
        let uncached = model.greedyContinue(prompts, count: 5, cached: false, prefixLM: true)
        #expect(cached.tokens == uncached.tokens && cached.tokens[0].count == 5)
        for (a, b) in zip(cached.logits, uncached.logits) {
            #expect(a.isClose(to: b, tolerance: 1e-4), "step logits differ: \(a) vs \(b)")
        }
        var state = model.startGenerating()
        let first = model.prefill(prompts, state: &state)
        #expect(state.caches[1].length == 4 && state.position == 4, "one pass caches all 4 prefix positions in every block")
        #expect(first.isClose(to: uncached.logits[0], tolerance: 1e-4))
        // Fed one token at a time, the prefix is read causally: its early positions never see the
        // later ones, and from the second block on their keys and values differ.
        let causal = model.greedyContinue(prompts, count: 1, cached: true, prefixLM: false)
        #expect(!causal.logits[0].isClose(to: uncached.logits[0], tolerance: 1e-3),
                "a prefix fed token by token is a causal prompt, not a prefix-LM prefix")
    }

    @Test("The cache grows by one position per step; cross-attention keys are computed once")
    func cacheGrowth() {
        let model = EncoderDecoderModel(Self.configuration, seed: 6)
        var state = model.startDecoding([[3, 4, 5]])
        let crossKeys = state.caches[0].crossKeys
        #expect(crossKeys.shape == [1, 2, 3, 4], "[batch, heads, source length, d/h]")
        _ = model.step([1], state: &state)
        _ = model.step([5], state: &state)
        #expect(state.caches[0].selfAttention.keys?.shape == [1, 2, 2, 4] && state.position == 2)
        #expect(state.caches[0].crossKeys == crossKeys, "steps reuse the cross-attention keys, they never recompute them")
        let fromMemory = model.blocks[1].crossAttention.keysAndValues(state.memory.states)
        #expect(state.caches[1].crossValues == fromMemory.values.value,
                "block 1's cached cross-attention values are its W_V projection of the encoder output, split into heads")
        let picked = state.selecting([0, 0, 0])
        #expect(picked.caches[1].selfAttention.values?.shape == [3, 2, 2, 4] && picked.memory.states.shape[0] == 3)
    }

    @Test("The book's trainer, with exercise 7.10's settings, reverses all 200 new strings of 3 or 4 digits")
    func trainerReachesTheExerciseTarget() {
        // Exactly what the reference answer to 7.10 does, through trainEncoderDecoder: the same
        // strings, the same draws, the same model, so the two reach the same number.
        let task = ReversalTask(digits: 4, lengths: 3...4)
        var dataRNG = SeededRandom(seed: 7101)
        let strings = task.strings(4_000, rng: &dataRNG)
        var rng = SeededRandom(seed: 7102)
        let model = EncoderDecoderModel(TransformerConfiguration(vocabularySize: task.vocabularySize, dimension: 16, heads: 2,
                                                                 hidden: 32, layers: 1, maxLength: 8, padding: 0), seed: 1)
        let losses = trainEncoderDecoder(model, steps: 200, learningRate: { _ in 1e-2 }, log: { _ in }) {
            let batch = (0..<32).map { _ in strings[rng.integer(below: strings.count)] }
            return TeacherForcingBatch(sources: batch, targets: batch.map { $0.reversed() }, start: 1, end: 2, padding: 0)
        }
        var testRNG = SeededRandom(seed: 7103)
        let rate = greedyExactMatch(model, on: task.batch(200, rng: &testRNG), start: 1, end: 2)
        #expect(losses.last! < losses.first! / 10, "the loss should fall at least tenfold, from \(losses.first!) to \(losses.last!)")
        #expect(rate == 1, "exact match on 200 new strings: \(rate)")
    }
}
