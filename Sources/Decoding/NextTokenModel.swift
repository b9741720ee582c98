import Foundation
import ScalarAutodiff

/// Anything that gives the log-probabilities of the next token: the one interface every decoder
/// in this chapter uses.
///
///     log p(yₜ = v | y₁ … yₜ₋₁)   for every token v of the vocabulary
///
/// A model is three closures around a `State`: the state before the first token (`start`), the
/// next-token log-probabilities in a state (`logProbabilities`), and the state after one more token
/// (`advance`). An RNN decoder keeps its hidden vector as the state; a Transformer keeps the
/// prefix (or its key-value cache); the simplest models keep the prefix itself, `[Int]`, and for
/// them one closure is enough:
///
/// ```swift
/// let model = NextTokenModel(vocabularySize: 3) { prefix in
///     prefix.isEmpty ? [log(0.6), log(0.3), log(0.1)] : [log(0.1), log(0.1), log(0.8)]
/// }
/// let best = greedyDecode(model, maxLength: 5, endToken: 2)
/// ```
///
/// The decoders only add and compare the numbers, so the table need not be normalised, and a
/// token the model rules out may have −∞. Sampling renormalises (section 8.5).
public struct NextTokenModel<State> {
    /// The number of tokens; `logProbabilities` returns this many numbers.
    public let vocabularySize: Int
    /// The state before the first generated token (after the encoder, for a seq2seq model).
    public let start: State
    /// log p(next token | state), one number per token of the vocabulary.
    public let logProbabilities: (State) -> [Float]
    /// The state after appending `token`.
    public let advance: (State, Int) -> State

    public init(vocabularySize: Int, start: State,
                logProbabilities: @escaping (State) -> [Float],
                advance: @escaping (State, Int) -> State) {
        require(vocabularySize >= 1, "NextTokenModel: the vocabulary needs at least one token, got \(vocabularySize)")
        self.vocabularySize = vocabularySize
        self.start = start
        self.logProbabilities = logProbabilities
        self.advance = advance
    }
}

extension NextTokenModel where State == [Int] {
    /// A model whose state is the prefix itself: `logProbabilities(prefix)` sees every token so far.
    ///
    /// `prefix` is the starting context (empty by default): decoding continues after it.
    public init(vocabularySize: Int, prefix: [Int] = [], logProbabilities: @escaping ([Int]) -> [Float]) {
        self.init(vocabularySize: vocabularySize, start: prefix, logProbabilities: logProbabilities,
                  advance: { $0 + [$1] })
    }
}

extension NextTokenModel {
    /// The model's log-probabilities in `state`, checked: one per token, none NaN, none +∞.
    func checkedLogProbabilities(_ state: State, caller: String) -> [Float] {
        let scores = logProbabilities(state)
        require(scores.count == vocabularySize,
                     "\(caller): the model returned \(scores.count) log-probabilities for a vocabulary of \(vocabularySize)")
        if let bad = scores.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
            fatalError("\(caller): the model returned \(scores[bad]) as the log-probability of token \(bad) (NaN or +∞)")
        }
        return scores
    }
}

/// A decoded sequence and its score.
///
/// `tokens` includes the end token when the sequence finished with one; `length` does not count it.
/// `logProbability` is Σₜ log p(yₜ | y<ₜ) over every token, the end token included.
public struct DecodedSequence: Equatable, Sendable, CustomStringConvertible {
    public let tokens: [Int]
    public let logProbability: Float
    /// True when the sequence ended with the end token; false when it stopped at the maximum length.
    public let isFinished: Bool

    public init(tokens: [Int], logProbability: Float, isFinished: Bool) {
        self.tokens = tokens
        self.logProbability = logProbability
        self.isFinished = isFinished
    }

    /// L: the number of tokens, not counting the end token.
    public var length: Int { isFinished ? tokens.count - 1 : tokens.count }

    /// The length-normalised score log P / L^α (α = 0 gives log P itself).
    public func lengthNormalisedScore(alpha: Float) -> Float {
        Decoding.lengthNormalisedScore(logProbability: logProbability, length: length, alpha: alpha)
    }

    /// The length-normalised score log P / lp(L) for a ``LengthPenalty``.
    public func lengthNormalisedScore(_ penalty: LengthPenalty) -> Float {
        Decoding.lengthNormalisedScore(logProbability: logProbability, length: length, penalty: penalty)
    }

    public var description: String {
        "\(tokens) log P = \(logProbability)\(isFinished ? "" : " (unfinished)")"
    }
}
