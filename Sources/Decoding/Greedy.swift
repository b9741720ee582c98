import Foundation
import ScalarAutodiff

/// Greedy decoding: at every step take the single most likely next token,
///
///     yₜ = argmaxᵥ log p(v | y<ₜ),
///
/// until the end token or `maxLength` tokens. Cheap (one model call per token) and often good,
/// but not the most likely *sequence*: a likely first token can lead only to unlikely
/// continuations. In the chapter's example greedy takes "The" (−0.5) over "A" (−0.7) and ends
/// with "The cat sat" at log P = −2.6, while "A feline sat" has log P = −1.7.
///
/// Ties go to the lower token id. Greedy decoding is beam search with width 1.
public func greedyDecode<State>(_ model: NextTokenModel<State>, maxLength: Int,
                                rules: DecodingRules = DecodingRules()) -> DecodedSequence {
    require(maxLength >= 1, "greedyDecode: maxLength must be at least 1, got \(maxLength)")
    var state = model.start, tokens: [Int] = [], logP: Float = 0
    while tokens.count < maxLength {
        let scores = rules.apply(model.checkedLogProbabilities(state, caller: "greedyDecode"), after: tokens)
        var best = 0
        for v in scores.indices where scores[v] > scores[best] { best = v }
        require(scores[best] > -.infinity, "greedyDecode: every next token has probability 0 after \(tokens)")
        tokens.append(best)
        logP += scores[best]
        if best == rules.endToken { return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: true) }
        state = model.advance(state, best)
    }
    return DecodedSequence(tokens: tokens, logProbability: logP, isFinished: false)
}

/// Greedy decoding ending at `endToken`, with no other rules.
public func greedyDecode<State>(_ model: NextTokenModel<State>, maxLength: Int, endToken: Int?) -> DecodedSequence {
    greedyDecode(model, maxLength: maxLength, rules: DecodingRules(endToken: endToken))
}
