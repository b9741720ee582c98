import ScalarAutodiff
import Tensors

/// The pointer-generator's final distribution (See, Liu and Manning 2017): generate from the
/// vocabulary with probability p_gen, or copy a source word with probability 1 − p_gen, choosing
/// it by attention:
///
///     P(w) = p_gen · P_vocab(w) + (1 − p_gen) · Σ_{j : xⱼ = w} αⱼ
///
/// Words are ids in the *extended* vocabulary: the first `vocabularyDistribution.count` ids are
/// the fixed vocabulary, and source words outside it get ids after that (up to
/// `extendedVocabularySize`), so an unknown word in the source can still be copied.
///
/// Worked example: vocabulary [the, cat, sat], source "the zorp the" = [0, 3, 0] (zorp gets
/// extended id 3), α = [0.2, 0.5, 0.3], P_vocab = [0.5, 0.3, 0.2], p_gen = 0.6:
/// P = [0.3 + 0.4·0.5, 0.18, 0.12, 0.4·0.5] = [0.5, 0.18, 0.12, 0.2].
public func pointerGeneratorDistribution(generationProbability pGen: Float, vocabularyDistribution: [Float],
                                         attention: [Float], sourceIDs: [Int], extendedVocabularySize: Int) -> [Float] {
    require((0...1).contains(pGen), "pointerGeneratorDistribution: p_gen is a probability, got \(pGen)")
    require(attention.count == sourceIDs.count,
                 "pointerGeneratorDistribution: \(attention.count) attention weights for \(sourceIDs.count) source words")
    require(extendedVocabularySize >= vocabularyDistribution.count,
                 "pointerGeneratorDistribution: the extended vocabulary (\(extendedVocabularySize)) is smaller than the vocabulary (\(vocabularyDistribution.count))")
    if let bad = sourceIDs.first(where: { $0 < 0 || $0 >= extendedVocabularySize }) {
        fatalError("pointerGeneratorDistribution: source id \(bad) is outside the extended vocabulary 0..<\(extendedVocabularySize)")
    }
    var p = [Float](repeating: 0, count: extendedVocabularySize)
    for (w, q) in vocabularyDistribution.enumerated() { p[w] = pGen * q }
    for (j, w) in sourceIDs.enumerated() { p[w] += (1 - pGen) * attention[j] }
    return p
}

/// The generation probability p_gen = σ(w_cᵀ cₜ + w_sᵀ sₜ + w_xᵀ xₜ + b): how much to trust the
/// vocabulary over copying, from the context cₜ, the decoder state sₜ and the decoder input xₜ.
/// All vectors [B, ·]; returns [B, 1].
public func generationProbability(context: Variable, state: Variable, input: Variable,
                                  wc: Variable, ws: Variable, wx: Variable, bias: Variable) -> Variable {
    (context.matmul(wc) + state.matmul(ws) + input.matmul(wx) + bias).sigmoid()
}
