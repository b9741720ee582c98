import Foundation
import ScalarAutodiff
import Tensors

/// A small neural language model to decode from: the previous n tokens predict the next
/// (a fixed-window model in the style of Bengio et al., 2003).
///
///     e = [E(yₜ₋ₙ); …; E(yₜ₋₁)]        (n embeddings of size d, concatenated)
///     h = tanh(e W₁ + b₁)
///     log p(yₜ | yₜ₋ₙ … yₜ₋₁) = logSoftmax(h W₂ + b₂)
///
/// Positions before the first token are filled with `startToken`. It trains in seconds on a few
/// dozen sentences and plugs into every decoder through ``nextTokenModel(prompt:)``; the RNN and
/// Transformer decoders of chapters 5 and 7 plug in the same way.
///
/// ```swift
/// var rng = SeededRandom(seed: 8)
/// let lm = WindowLanguageModel(vocabularySize: 30, context: 2, startToken: 0, rng: &rng)
/// let (contexts, targets) = lm.trainingExamples(sentences)
/// var adam = Adam(lm.parameters, learningRate: 0.01)
/// let loss = lm.loss(contexts: contexts, targets: targets)
/// adam.zeroGradients(); loss.backward(); adam.step()
/// let best = beamSearch(lm.nextTokenModel(), width: 3, maxLength: 12, rules: DecodingRules(endToken: 1))
/// ```
public struct WindowLanguageModel {
    public let vocabularySize: Int
    /// n, the number of previous tokens the model sees.
    public let context: Int
    public let startToken: Int
    public let embedding: Embedding
    public let hidden: Linear
    public let output: Linear

    public init(vocabularySize: Int, context: Int = 2, dimension: Int = 16, hiddenSize: Int = 64,
                startToken: Int, rng: inout SeededRandom) {
        require(vocabularySize >= 2, "WindowLanguageModel: the vocabulary needs at least 2 tokens, got \(vocabularySize)")
        require(context >= 1, "WindowLanguageModel: the context must be at least 1 token, got \(context)")
        require((0..<vocabularySize).contains(startToken),
                     "WindowLanguageModel: the start token \(startToken) is outside the vocabulary of \(vocabularySize)")
        self.vocabularySize = vocabularySize
        self.context = context
        self.startToken = startToken
        embedding = Embedding(vocabularySize: vocabularySize, dimension: dimension, rng: &rng)
        hidden = Linear(context * dimension, hiddenSize, rng: &rng)
        output = Linear(hiddenSize, vocabularySize, rng: &rng)
    }

    public var parameters: [Variable] { embedding.parameters + hidden.parameters + output.parameters }

    /// The next-token logits for a batch of contexts, each `context` token ids: shape [batch, V].
    public func logits(_ contexts: [[Int]]) -> Variable {
        require(contexts.allSatisfy { $0.count == context },
                     "WindowLanguageModel: every context must hold \(context) tokens, got lengths \(Set(contexts.map(\.count)).sorted())")
        let e = embedding(contexts.flatMap { $0 }, shape: [contexts.count, context])
        return output(hidden(e.reshaped([contexts.count, context * embedding.table.shape[1]])).tanh())
    }

    /// The last n tokens of `prefix`, padded on the left with the start token.
    public func window(_ prefix: [Int]) -> [Int] {
        Array((Array(repeating: startToken, count: context) + prefix).suffix(context))
    }

    /// Every (context, next token) pair of the sentences, each sentence ending with `endToken`.
    public func trainingExamples(_ sentences: [[Int]], endToken: Int) -> (contexts: [[Int]], targets: [Int]) {
        var contexts: [[Int]] = [], targets: [Int] = []
        for sentence in sentences {
            let full = sentence + [endToken]
            for t in full.indices {
                contexts.append(window(Array(full[..<t])))
                targets.append(full[t])
            }
        }
        return (contexts, targets)
    }

    /// The mean cross-entropy of predicting `targets` from `contexts` (nats per token).
    public func loss(contexts: [[Int]], targets: [Int]) -> Variable {
        crossEntropy(logits: logits(contexts), targets: targets)
    }

    /// log p(next token | prefix), one number per token.
    public func logProbabilities(after prefix: [Int]) -> [Float] {
        logits([window(prefix)]).value.logSoftmax().scalars
    }

    /// The model as a decoder's ``NextTokenModel``, continuing after `prompt`.
    public func nextTokenModel(prompt: [Int] = []) -> NextTokenModel<[Int]> {
        NextTokenModel(vocabularySize: vocabularySize, prefix: prompt) { self.logProbabilities(after: $0) }
    }
}
