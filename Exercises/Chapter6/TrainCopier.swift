// Chapter 6, exercise 6.9: train the attention model, with a loss and a loop of your own.

import Attention
import Datasets
import ExerciseSupport
import RecurrentNetworks
import ScalarAutodiff
import Tensors

/// Exercise 6.9 ★★★ — Train attention to copy long strings (part 1: the loss).
///
/// The teacher-forced loss of `model` on a batch: pad the sources and the targets (each target
/// ends in `<eos>`), encode the sources (`model.encode`), then run `model.step` once per target
/// position, feeding <sos> first and then the gold tokens. Return the mean of −log P(yₜ | y<ₜ, x)
/// over the real target tokens: padding in the targets does not count.
///
/// Do not call `teacherForcedLoss` (or `scheduledSamplingLoss`).
public func attentionCopyLoss(model: AttentionSeq2Seq, sources: [[Int]], targets: [[Int]]) throws -> Variable {
    throw NotAttempted("6.9")
}

/// Exercise 6.9 ★★★ — Train attention to copy long strings (part 2: the loop).
///
/// `model` is a fresh attention encoder-decoder (E = 8, H = 16) and `data` holds 500 copies of
/// strings of 2 to 7 letters from a to f ("c a f" → "c a f <eos>"). Train `model` in place with
/// a loop you write, using `attentionCopyLoss`, and return the loss of every step.
///
/// **Target:** after your training, greedy decoding must get at least 60 % of the tokens right
/// on 60 new strings of 6 and 7 letters. Chapter 5's model without attention, trained by the book
/// on the same data with the same batches and steps, gets 29 %. The reference answer (80 steps of
/// 32 pairs, Adam at learning rate 0.03, gradients clipped to norm 1) gets 83 %.
///
/// Do not call `trainAttentionSeq2Seq` (or any of the book's trainers, or `trainingLoop`).
public func trainAttentionCopier(model: AttentionSeq2Seq, data: EncodedPairs, rng: inout SeededRandom) throws -> [Float] {
    throw NotAttempted("6.9")
}
