import Datasets
import ScalarAutodiff
import Tensors

/// One step of greedy decoding: what went in, what came out and how sure the model was.
public struct DecodingStep: Sendable, Equatable {
    /// yₜ₋₁, the token fed to the decoder.
    public let input: Int
    /// yₜ = argmax P(· | y<ₜ, c).
    public let output: Int
    /// P(yₜ | y<ₜ, c).
    public let probability: Float
}

/// Greedy decoding: start from <sos>, feed back the most likely token each step, stop at <eos>
/// or after `maxLength` tokens:
///
///     yₜ = argmax_y P(y | y<ₜ, c),   y₀ = <sos>
///
/// Returns the tokens (without <sos>; with the final <eos> if one was produced) and the steps.
public func greedyDecode(_ model: Seq2Seq, source: [Int], maxLength: Int) -> (tokens: [Int], steps: [DecodingStep]) {
    require(!source.isEmpty, "greedyDecode: the source is empty")
    return greedyDecoding(from: model.initialState(model.encoder([source])), maxLength: maxLength) {
        model.decoder.step(previous: [$0], state: $1)
    }
}

/// The greedy loop itself, for any decoder given as `step(previous token, state) → (logits
/// [1, V], new state)`, from `initialState`.
func greedyDecoding(from initialState: Variable, maxLength: Int,
                    step: (Int, Variable) -> (logits: Variable, state: Variable)) -> (tokens: [Int], steps: [DecodingStep]) {
    require(maxLength > 0, "greedyDecode: maxLength must be positive, got \(maxLength)")
    var state = initialState
    var previous = Vocabulary.startID
    var tokens: [Int] = [], steps: [DecodingStep] = []
    for _ in 0..<maxLength {
        let (logits, next) = step(previous, state)
        state = next
        let probabilities = logits.value.softmax()
        let y = probabilities.argmax()[0]
        steps.append(DecodingStep(input: previous, output: y, probability: probabilities.scalars[y]))
        tokens.append(y)
        if y == Vocabulary.endID { break }
        previous = y
    }
    return (tokens, steps)
}
