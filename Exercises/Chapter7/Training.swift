// Chapter 7 exercise 7.10: train a small Transformer. See Exercises.swift for how to run the tests.

import ExerciseSupport
import Foundation
import ScalarAutodiff
import Tensors
import Transformers

/// Exercise 7.10 ★★★ — Train a Transformer to reverse strings.
///
/// `strings` holds training strings of digit tokens (3 … vocabularySize − 1); the task is to
/// write each one backwards. The other tokens are 0 padding, 1 start and 2 end. Build an
/// `EncoderDecoderModel` whose configuration has `vocabularySize` tokens, and train it with
/// teacher forcing: for each string x, the source is x, the decoder reads [1] + reversed(x)
/// and must predict reversed(x) + [2]; pad every batch at the end with 0 and leave padding out
/// of the loss. Draw your batches with `rng`.
///
/// The target: greedy decoding (the test calls `greedyDecode` with start 1 and end 2) must
/// reverse at least 90% of 200 new strings of the same kind exactly. The test's time limit is
/// 30 s; the book's answer trains for about 200 steps, in about a second.
///
/// Write the training loop yourself: do not call `trainEncoderDecoder`, `teacherForcedLoss` or
/// `trainingLoop`, and do not use `TeacherForcingBatch` or `ReversalTask`.
public func trainReverser(strings: [[Int]], vocabularySize: Int, rng: inout SeededRandom) throws -> EncoderDecoderModel {
    throw NotAttempted("7.10")
}
