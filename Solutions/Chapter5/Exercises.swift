// Chapter 5 exercises: reference answers (the same public API as Exercises/Chapter5).
//
// Replace each `throw NotAttempted(...)` with your answer, then run
//
//     swift test --filter Chapter5
//
// Each exercise's test passes, fails with a message, or is reported as cancelled while it is
// still a stub. `swift run book hint 5.3` prints a first hint, `swift run book hint 5.3 2` the
// next. You may use anything in the `RecurrentNetworks`, `Tensors`, `Datasets` and
// `ScalarAutodiff` modules except the functions an exercise names as forbidden: the tests
// check, and say so. Exercises 5.7 and 5.8 are in PaddedEncoder.swift and TrainReverser.swift.

import Datasets
import ExerciseSupport
import Foundation
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Exercise 5.1 ★★ — One GRU step, gate by gate.
///
/// Return the new state h' [B, H] of a GRU for a batch x [B, E] and state h [B, H], with
/// PyTorch's equations and the weights in the book's layout: `weightIH` [E, 3H] and
/// `weightHH` [H, 3H] hold the gates r, z, n side by side; `biasIH` and `biasHH` are [3H].
///
///     r  = σ(x·W_ir + b_ir + h·W_hr + b_hr)
///     z  = σ(x·W_iz + b_iz + h·W_hz + b_hz)
///     n  = tanh(x·W_in + b_in + r ∗ (h·W_hn + b_hn))
///     h' = (1 − z) ∗ n + z ∗ h
///
/// Do not use `GRUCell` (or the encoder and decoder built on it).
public func gruStep(x: Tensor, h: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor) throws -> Tensor {
    let H = weightHH.shape[0]
    let gi = x.matmul(weightIH) + biasIH          // [B, 3H]: the input parts of r, z, n
    let gh = h.matmul(weightHH) + biasHH          // [B, 3H]: the state parts, b_hn included
    let r = (gi.slice(axis: 1, 0..<H) + gh.slice(axis: 1, 0..<H)).sigmoid()
    let z = (gi.slice(axis: 1, H..<2 * H) + gh.slice(axis: 1, H..<2 * H)).sigmoid()
    let n = (gi.slice(axis: 1, 2 * H..<3 * H) + r * gh.slice(axis: 1, 2 * H..<3 * H)).tanh()
    return (Tensor.ones(z.shape) - z) * n + z * h
}

/// Exercise 5.2 ★ — Counting a GRU's and an LSTM's parameters.
///
/// Return the number of trainable numbers in a GRU and an LSTM with input size E and hidden size
/// H, laid out as PyTorch does (two bias vectors per gate). Do not call `gruParameterCount` or
/// `lstmParameterCount`.
public func recurrentParameterCounts(input E: Int, hidden H: Int) throws -> (gru: Int, lstm: Int) {
    let perGate = H * E + H * H + 2 * H
    return (3 * perGate, 4 * perGate)
}

/// Exercise 5.3 ★★ — The teacher-forced loss of one pair.
///
/// `target` ends in `<eos>`. Run `model.decoder` from `model.initialState` with the inputs
/// <sos>, y₁, …, y_{T−1} (the gold tokens) and return the mean of −log P(yₜ | y<ₜ, c) over the
/// T target tokens, as a Variable that backpropagates to the model's weights. Do not call
/// `teacherForcedLoss` or `scheduledSamplingLoss`.
public func teacherForcedPairLoss(model: Seq2Seq, source: [Int], target: [Int]) throws -> Variable {
    var state = model.initialState(model.encoder([source]))
    var previous = Vocabulary.startID
    var allLogits: [Variable] = []
    for y in target {
        let (logits, next) = model.decoder.step(previous: [previous], state: state)
        allLogits.append(logits)
        state = next
        previous = y
    }
    return crossEntropy(logits: Variable.concatenate(allLogits, axis: 0), targets: target)
}

/// Exercise 5.4 ★★ — The greedy decoding loop.
///
/// Encode `source`, then repeatedly feed the previous token (starting with `<sos>`) and pick the
/// most likely next one. Return the tokens produced, including the `<eos>` that stops the loop,
/// and at most `maxLength` of them. Do not call `greedyDecode`.
public func greedyTranslate(model: Seq2Seq, source: [Int], maxLength: Int) throws -> [Int] {
    var state = model.initialState(model.encoder([source]))
    var previous = Vocabulary.startID
    var tokens: [Int] = []
    while tokens.count < maxLength {
        let (logits, next) = model.decoder.step(previous: [previous], state: state)
        state = next
        let y = logits.value.argmax()[0]
        tokens.append(y)
        if y == Vocabulary.endID { break }
        previous = y
    }
    return tokens
}

/// Exercise 5.5 ★★ — Bidirectional states.
///
/// `inputs[t]` is the batch of inputs at position t, shape [B, E]. Run `forward` left to right
/// and `backward` right to left, each from a zero state, and return the states
/// hⱼ = [→hⱼ ; ←hⱼ], shape [B, 2H], for j = 0 ..< T. Do not use `GRUEncoder` or `runRecurrence`.
public func bidirectionalStates(forward: GRUCell, backward: GRUCell, inputs: [Tensor]) throws -> [Tensor] {
    let T = inputs.count, B = inputs.first?.shape[0] ?? 0
    var forwardStates: [Tensor] = [], backwardStates = [Tensor](repeating: Tensor.zeros([0]), count: T)
    var h = Variable.constant(Tensor.zeros([B, forward.hiddenSize]))
    for t in 0..<T {
        h = forward(.constant(inputs[t]), h)
        forwardStates.append(h.value)
    }
    h = Variable.constant(Tensor.zeros([B, backward.hiddenSize]))
    for t in (0..<T).reversed() {
        h = backward(.constant(inputs[t]), h)
        backwardStates[t] = h.value
    }
    return (0..<T).map { Tensor.concatenate([forwardStates[$0], backwardStates[$0]], axis: 1) }
}

/// Thrown by ``inverseSigmoidSchedule(step:k:)`` for an invalid k.
public enum ScheduleError: Error, Equatable {
    case invalidK(Double)
}

/// Exercise 5.6 ★ — The inverse-sigmoid schedule.
///
/// Return Bengio et al.'s teacher-forcing probability εᵢ = k / (k + exp(i / k)) at step i.
/// For k < 1 the schedule does not start near 1: throw `ScheduleError.invalidK(k)`.
/// Do not use `SamplingSchedule`.
public func inverseSigmoidSchedule(step i: Int, k: Double) throws -> Double {
    guard k >= 1 else { throw ScheduleError.invalidK(k) }
    return k / (k + exp(Double(i) / k))
}
