import Attention
import Datasets
import Decoding
import Evaluation
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors
import Transformers

// The capstone's pieces: the task (chapter 5's toy English → French, one or two sentences joined
// by "and" so that sources run from 4 to 15 words), the three models trained on it, and each model
// wrapped as chapter 8's `NextTokenModel` so that every decoder runs on either.

/// Toy-translation pairs of one or two sentences; two sentences are joined by "and" / "et".
func compoundTranslationPairs(count: Int, seed: UInt64) -> [SequencePair] {
    var rng = SeededRandom(seed: seed)
    let sentences = ToyTranslation.pairs(count: 2 * count, seed: seed &+ 1)
    var next = 0
    return (0..<count).map { _ in
        let first = sentences[next]
        next += 1
        guard rng.uniform() < 0.5 else { return first }
        let second = sentences[next]
        next += 1
        return SequencePair(source: first.source + ["and"] + second.source, target: first.target + ["et"] + second.target)
    }
}

/// The state of a GRU decoder between steps: its hidden state and the log-probabilities of the
/// next token.
struct RecurrentDecoderState {
    let hidden: Variable
    let logProbabilities: [Float]
}

/// Chapter 5's seq2seq (no attention) as a next-token model for one source sentence.
func nextTokenModel(_ model: Seq2Seq, source: [Int]) -> NextTokenModel<RecurrentDecoderState> {
    func feed(_ token: Int, _ hidden: Variable) -> RecurrentDecoderState {
        let (logits, state) = model.decoder.step(previous: [token], state: hidden)
        return RecurrentDecoderState(hidden: state.detached(), logProbabilities: logSoftmax(logits.value.scalars))
    }
    let start = feed(Vocabulary.startID, model.initialState(model.encoder([source])).detached())
    return NextTokenModel(vocabularySize: model.decoder.vocabularySize, start: start,
                          logProbabilities: { $0.logProbabilities },
                          advance: { state, token in feed(token, state.hidden) })
}

/// Chapter 6's seq2seq with Bahdanau attention as a next-token model for one source sentence:
/// the encoder states are computed once, and every step attends over them with the previous state.
func nextTokenModel(_ model: AttentionSeq2Seq, source: [Int]) -> NextTokenModel<RecurrentDecoderState> {
    let encoded = model.encode([source])
    let states = encoded.states.detached()
    func feed(_ token: Int, _ hidden: Variable) -> RecurrentDecoderState {
        let (logits, state, _) = model.step(previous: [token], state: hidden, states: states, mask: encoded.mask)
        return RecurrentDecoderState(hidden: state.detached(), logProbabilities: logSoftmax(logits.value.scalars))
    }
    return NextTokenModel(vocabularySize: model.decoder.vocabularySize, start: feed(Vocabulary.startID, encoded.initialState.detached()),
                          logProbabilities: { $0.logProbabilities },
                          advance: { state, token in feed(token, state.hidden) })
}

/// The state of a Transformer decoder between steps: the KV caches and the next token's
/// log-probabilities.
struct TransformerDecoderState {
    let decoder: DecoderState
    let logProbabilities: [Float]
}

/// Chapter 7's encoder-decoder as a next-token model for one source sentence: cross-attention
/// keys and values are computed once, self-attention keys and values are cached step by step.
func nextTokenModel(_ model: EncoderDecoderModel, source: [Int]) -> NextTokenModel<TransformerDecoderState> {
    func feed(_ token: Int, _ state: DecoderState) -> TransformerDecoderState {
        var next = state
        let logits = model.step([token], state: &next)
        return TransformerDecoderState(decoder: next, logProbabilities: logSoftmax(logits.scalars))
    }
    return NextTokenModel(vocabularySize: model.configuration.vocabularySize,
                          start: feed(Vocabulary.startID, model.startDecoding([source])),
                          logProbabilities: { $0.logProbabilities },
                          advance: { state, token in feed(token, state.decoder) })
}

/// Trains the Transformer with label smoothing ε on random batches of `data`, padding ignored.
func trainTransformer(_ model: EncoderDecoderModel, on data: EncodedPairs, steps: Int, batchSize: Int,
                      epsilon: Float, rng: inout SeededRandom) -> [Float] {
    var optimizer = Adam(model.parameters, learningRate: 2e-3)
    let vocabularySize = model.configuration.vocabularySize
    return trainingLoop(steps: steps, logEvery: max(steps / 6, 1), log: { print("   " + $0) }) { _ in
        let rows = (0..<batchSize).map { _ in rng.integer(below: data.count) }
        let batch = transformerBatch(rows.map { data.sources[$0] }, rows.map { data.targets[$0] })
        let logits = model(source: batch.source, target: batch.input)
        let loss = labelSmoothedCrossEntropy(logits: logits.reshaped([-1, vocabularySize]), targets: Array(batch.output.joined()),
                                             epsilon: epsilon, ignoreIndex: Vocabulary.padID)
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}

/// Padded source, decoder input (<sos> y₁ … yₙ) and decoder output (y₁ … yₙ <eos>) for targets
/// that already end in <eos>.
func transformerBatch(_ sources: [[Int]], _ targets: [[Int]]) -> (source: [[Int]], input: [[Int]], output: [[Int]]) {
    let source = padBatch(sources).ids
    let input = padBatch(targets.map { [Vocabulary.startID] + $0.dropLast() }).ids
    let output = padBatch(targets).ids
    return (source, input, output)
}

/// Perplexity of the Transformer on `data` with teacher forcing: exp of the plain cross-entropy
/// per real target token (label smoothing is a training device, not part of the measure).
func transformerPerplexity(_ model: EncoderDecoderModel, on data: EncodedPairs) -> Double {
    var logPs: [Double] = []
    for start in stride(from: 0, to: data.count, by: 50) {
        let rows = Array(start..<min(start + 50, data.count))
        let batch = transformerBatch(rows.map { data.sources[$0] }, rows.map { data.targets[$0] })
        let logits = model(source: batch.source, target: batch.input).value
        let v = model.configuration.vocabularySize
        let logP = logits.reshaped([-1, v]).logSoftmax()
        for (i, y) in batch.output.joined().enumerated() where y != Vocabulary.padID {
            logPs.append(Double(logP.scalars[i * v + y]))
        }
    }
    return corpusPerplexity(tokenLogProbabilities: logPs)
}

/// Perplexity of a recurrent seq2seq on `data` with teacher forcing, per real target token, from
/// its batch loss (the mean −log P over the real tokens of a batch).
func recurrentPerplexity(on data: EncodedPairs, loss: ([[Int]], [[Int]]) -> Variable) -> Double {
    var totalNLL = 0.0, tokens = 0
    for start in stride(from: 0, to: data.count, by: 50) {
        let rows = Array(start..<min(start + 50, data.count))
        let count = rows.reduce(0) { $0 + data.targets[$1].count }
        totalNLL += Double(loss(rows.map { data.sources[$0] }, rows.map { data.targets[$0] }).value.scalar) * Double(count)
        tokens += count
    }
    return perplexityFromLoss(totalNLL / Double(tokens))
}
