import ScalarAutodiff
import Tensors

/// One batch for teacher forcing, every row padded at the end to the batch's longest:
///
///     source         x₁ … xₛ
///     decoderInput   <s> y₁ … yₙ        (the target shifted right by one)
///     decoderTarget  y₁ … yₙ </s>       (what each position must predict)
///
/// Position i of the decoder reads y₁ … yᵢ (after <s>) and predicts yᵢ₊₁: the input is the
/// target shifted right, so no position sees the token it must predict.
public struct TeacherForcingBatch: Sendable {
    public let source: [[Int]]
    public let decoderInput: [[Int]]
    public let decoderTarget: [[Int]]

    /// A batch from sources and targets given without special tokens.
    public init(sources: [[Int]], targets: [[Int]], start: Int, end: Int, padding: Int) {
        require(!sources.isEmpty && sources.count == targets.count,
                "TeacherForcingBatch: needs as many targets as sources, at least one, got \(sources.count) and \(targets.count)")
        func padded(_ rows: [[Int]]) -> [[Int]] {
            let width = rows.map(\.count).max() ?? 0
            return rows.map { $0 + Array(repeating: padding, count: width - $0.count) }
        }
        source = padded(sources)
        decoderInput = padded(targets.map { [start] + $0 })
        decoderTarget = padded(targets.map { $0 + [end] })
    }

    public var count: Int { source.count }
}

extension EncoderDecoderModel {
    /// The teacher-forced loss: cross-entropy per real target token (padding, the
    /// configuration's `padding` token, is ignored),
    ///
    ///     L = −(1/N) Σ over real target positions of log P(yᵢ₊₁ | y≤ᵢ, x).
    public func teacherForcedLoss(_ batch: TeacherForcingBatch) -> Variable {
        let logits = self(source: batch.source, target: batch.decoderInput)
        return crossEntropy(logits: logits.reshaped([-1, configuration.vocabularySize]),
                            targets: Array(batch.decoderTarget.joined()), ignoreIndex: configuration.padding)
    }
}

/// The book's encoder-decoder trainer: `steps` Adam steps of teacher forcing, one fresh batch
/// per step from `nextBatch`, the learning rate of step s given by `learningRate(s)` (s from 1).
/// Prints a progress line every `logEvery` steps through `log` and returns the losses.
@discardableResult
public func trainEncoderDecoder(_ model: EncoderDecoderModel, steps: Int, learningRate: (Int) -> Float,
                                logEvery: Int = 100, log: (String) -> Void = { print($0) },
                                nextBatch: () -> TeacherForcingBatch) -> [Float] {
    var optimizer = Adam(model.parameters, learningRate: learningRate(1))
    return trainingLoop(steps: steps, logEvery: logEvery, log: log) { step in
        optimizer.learningRate = learningRate(step)
        let loss = model.teacherForcedLoss(nextBatch())
        optimizer.zeroGradients()
        loss.backward()
        optimizer.step()
        return loss.value.scalar
    }
}

/// The fraction of a batch's sources whose greedy decoding, up to the end token, is exactly
/// the target (`decoderTarget` up to its end token).
public func greedyExactMatch(_ model: EncoderDecoderModel, on batch: TeacherForcingBatch, start: Int, end: Int) -> Double {
    let longest = batch.decoderTarget[0].count
    let decoded = model.greedyDecode(batch.source, start: start, end: end, maxLength: min(longest + 2, model.configuration.maxLength)).tokens
    let correct = zip(decoded, batch.decoderTarget).filter { output, target in
        output.prefix { $0 != end } == target.prefix { $0 != end }
    }.count
    return Double(correct) / Double(batch.count)
}

/// Reverse a string of digits: the chapter's task for an encoder-decoder, since writing the
/// output needs attention to a position that moves through the source.
///
/// Tokens: 0 padding, 1 start, 2 end, 3 … 3 + digits − 1 the digits 0 … digits − 1.
public struct ReversalTask: Sendable {
    public static let padding = 0, start = 1, end = 2
    /// How many distinct digits the strings use.
    public let digits: Int
    /// The lengths of the strings, drawn uniformly.
    public let lengths: ClosedRange<Int>

    public init(digits: Int = 10, lengths: ClosedRange<Int> = 3...8) {
        require(digits > 0 && lengths.lowerBound > 0,
                "ReversalTask: needs at least one digit and strings of length at least 1, got \(digits) digits and lengths \(lengths)")
        self.digits = digits
        self.lengths = lengths
    }

    public var vocabularySize: Int { 3 + digits }

    /// `count` random strings, as tokens.
    public func strings(_ count: Int, rng: inout SeededRandom) -> [[Int]] {
        (0..<count).map { _ in
            (0..<(lengths.lowerBound + rng.integer(below: lengths.count))).map { _ in 3 + rng.integer(below: digits) }
        }
    }

    /// A teacher-forcing batch of `size` random strings and their reversals.
    public func batch(_ size: Int, rng: inout SeededRandom) -> TeacherForcingBatch {
        let sources = strings(size, rng: &rng)
        return TeacherForcingBatch(sources: sources, targets: sources.map { $0.reversed() },
                                   start: Self.start, end: Self.end, padding: Self.padding)
    }

    /// A token as text: `_`, `<s>`, `</s>` or the digit.
    public func symbol(_ token: Int) -> String {
        switch token {
        case Self.padding: "_"
        case Self.start: "<s>"
        case Self.end: "</s>"
        default: String(token - 3)
        }
    }

    /// Tokens as text, separated by spaces.
    public func text(_ tokens: some Sequence<Int>) -> String { tokens.map(symbol).joined(separator: " ") }
}
