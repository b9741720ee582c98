// Exercise 8.10: seeded nucleus sampling. See Exercises.swift for how to run the checks.

import Decoding
import ExerciseSupport
import Foundation
import ScalarAutodiff

/// Exercise 8.10 ★★★ — Seeded nucleus sampling.
///
/// Draw one sequence from `model` with a temperature and a nucleus (top-p) filter, drawing exactly
/// the tokens the book's sampler draws from the same seed. Each step, from the model's
/// log-probabilities z in the current state:
///
/// 1. q = softmax(z / T). (The `softmax` of the Decoding module gives exactly the book's numbers.)
/// 2. Keep the nucleus of q: tokens sorted by probability, highest first (ties: the lower id
///    first), added while their running total is below p, so the token that reaches p is kept.
///    Renormalise the kept ones by their total (in Float); the others get 0.
/// 3. Draw one token with exactly one `rng.uniform()`, u: target = u · Σᵥ q′ᵥ, then walk the tokens
///    in id order adding q′ᵥ, both sums in Double. The first token whose running sum exceeds the
///    target is drawn (if rounding leaves none, the last token with q′ > 0).
/// 4. Append it, add z[token], the model's log-probability before temperature and filtering, to
///    log P, and advance the state. Stop after `endToken` (kept, `isFinished: true`) or when the
///    sequence holds `maxLength` tokens (`isFinished: false`).
///
/// Do not call `ancestralSample`, `sampleToken`, `samplingDistribution`, `nucleusFilter`,
/// `applyTemperature`, `topKFilter` or `categorical`.
public func nucleusSample<State>(_ model: NextTokenModel<State>, maxLength: Int, endToken: Int, temperature: Float,
                                 topP: Float, rng: inout SeededRandom) throws -> DecodedSequence {
    throw NotAttempted("8.10")
}
