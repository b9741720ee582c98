// Exercise 8.9: a complete beam search. See Exercises.swift for how to run the checks.

import Decoding
import ExerciseSupport
import Foundation
import ScalarAutodiff

/// Exercise 8.9 ★★★ — A complete beam search.
///
/// Decode `model` with a beam of `width` hypotheses, the way section 8.3 describes, and return at
/// most `width` sequences, best first:
///
/// 1. Start from one open hypothesis: no tokens, log P = 0, state `model.start`.
/// 2. Each step, extend every open hypothesis b by every token v, scored
///    log P(b) + log p(v | b) with log p from `model.logProbabilities(state of b)`. Skip scores
///    of −∞. Take the 2·width best candidates, best first (ties: the lower b, then the lower v).
/// 3. Go down those candidates. One whose token is `endToken` and whose rank is below `width` is
///    finished: a `DecodedSequence` of b's tokens plus the end token, its score as log P, and
///    `isFinished: true`. An end-token candidate ranked lower is dropped. Any other candidate
///    joins the new open beam, with state `model.advance(state of b, v)`, while that beam holds
///    fewer than `width`.
/// 4. Stop early, before `maxLength` steps, when `width` hypotheses have finished or none is open.
/// 5. After `maxLength` steps, the open hypotheses join the finished ones, unfinished
///    (`isFinished: false`): they compete on score.
/// 6. Sort everything collected by log P / L^α, best first, L the number of tokens without the end
///    token (α = 0 or L = 0: log P itself); keep equal scores in the order collected (finished
///    ones as they finished, then the open beam). Return the first `width`.
///
/// The checks compare your results with the book's on the chapter's tables and on random models.
/// Do not call `beamSearch`, `bestExtensions`, `diverseBeamSearch`, `lengthNormalisedScore` or
/// `penaltyDivisor`.
public func beamDecode<State>(_ model: NextTokenModel<State>, width: Int, maxLength: Int, endToken: Int,
                              alpha: Float) throws -> [DecodedSequence] {
    throw NotAttempted("8.9")
}
