import ScalarAutodiff

// T5 (Raffel et al., 2020) pre-trains with span corruption: some spans of the input are each
// replaced by a sentinel token, and the target lists the dropped spans, each after its sentinel:
//
//     original  Thank you for inviting me to your party last week .
//     input     Thank you <X> me to your party <Y> week .
//     target    <X> for inviting <Y> last <Z>
//
// The target is short (only the dropped tokens), which makes pre-training cheap.

/// Span corruption with given spans (sorted, non-overlapping, non-empty ranges of positions).
/// Span k is replaced by `sentinels[k]` in the input; the target is each sentinel followed by
/// its span, closed by one more sentinel. So `sentinels` needs spans.count + 1 tokens.
public func spanCorruption(_ tokens: [Int], spans: [Range<Int>], sentinels: [Int]) -> (input: [Int], target: [Int]) {
    require(sentinels.count > spans.count,
                 "spanCorruption: \(spans.count) spans need \(spans.count + 1) sentinels, got \(sentinels.count)")
    var input: [Int] = [], target: [Int] = []
    var next = 0
    for (k, span) in spans.enumerated() {
        require(!span.isEmpty && span.lowerBound >= next && span.upperBound <= tokens.count,
                     "spanCorruption: span \(span) is empty, overlaps the previous one or leaves 0..<\(tokens.count)")
        input += tokens[next..<span.lowerBound]
        input.append(sentinels[k])
        target.append(sentinels[k])
        target += tokens[span]
        next = span.upperBound
    }
    input += tokens[next...]
    target.append(sentinels[spans.count])
    return (input, target)
}

/// Random span corruption as in T5: round(density · n) noise tokens in round(noise / meanSpanLength)
/// spans (at least one of each). The noise tokens and the kept tokens are each cut into that many
/// pieces of random non-zero lengths, and the pieces alternate, kept first.
///
/// ```swift
/// var rng = SeededRandom(seed: 0)
/// let (input, target) = randomSpanCorruption(Array(0..<20), noiseDensity: 0.15,
///                                            meanSpanLength: 3, sentinels: [100, 99], rng: &rng)
/// ```
public func randomSpanCorruption(_ tokens: [Int], noiseDensity: Double = 0.15, meanSpanLength: Double = 3,
                                 sentinels: [Int], rng: inout SeededRandom) -> (input: [Int], target: [Int]) {
    require(noiseDensity > 0 && noiseDensity < 1, "randomSpanCorruption: noiseDensity must be in (0, 1), got \(noiseDensity)")
    require(meanSpanLength >= 1, "randomSpanCorruption: meanSpanLength must be at least 1, got \(meanSpanLength)")
    let n = tokens.count
    require(n >= 2, "randomSpanCorruption: needs at least 2 tokens, got \(n)")
    let noise = min(max(Int((noiseDensity * Double(n)).rounded()), 1), n - 1)
    let count = min(max(Int((Double(noise) / meanSpanLength).rounded()), 1), noise, n - noise)
    let noiseLengths = randomSegmentation(noise, into: count, rng: &rng)
    let keptLengths = randomSegmentation(n - noise, into: count, rng: &rng)
    var spans: [Range<Int>] = []
    var position = 0
    for k in 0..<count {
        position += keptLengths[k]
        spans.append(position..<(position + noiseLengths[k]))
        position += noiseLengths[k]
    }
    return spanCorruption(tokens, spans: spans, sentinels: sentinels)
}

/// `total` cut into `parts` positive lengths at random (uniformly chosen distinct cut points).
public func randomSegmentation(_ total: Int, into parts: Int, rng: inout SeededRandom) -> [Int] {
    require(parts >= 1 && parts <= total, "randomSegmentation: cannot cut \(total) into \(parts) positive parts")
    let cuts = Array(rng.shuffled(Array(1..<total)).prefix(parts - 1)).sorted()
    let bounds = [0] + cuts + [total]
    return (0..<parts).map { bounds[$0 + 1] - bounds[$0] }
}

/// The original tokens back from a span-corrupted input and target: each sentinel of the input
/// is replaced by the tokens that follow it in the target.
public func undoSpanCorruption(input: [Int], target: [Int], sentinels: [Int]) -> [Int] {
    let sentinelSet = Set(sentinels)
    var fills: [Int: [Int]] = [:]
    var current: Int? = nil
    for token in target {
        if sentinelSet.contains(token) { current = token; fills[token] = [] }
        else if let c = current { fills[c, default: []].append(token) }
    }
    return input.flatMap { sentinelSet.contains($0) ? (fills[$0] ?? []) : [$0] }
}
