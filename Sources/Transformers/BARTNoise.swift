import Foundation
import ScalarAutodiff

// BART (Lewis et al., 2020) pre-trains an encoder-decoder to rebuild a document from a damaged
// copy: the encoder reads the damaged tokens, the decoder writes the original. The damage comes
// in five kinds, each a seeded, deterministic function of a token array here.

/// Token masking: each token is replaced by `mask` with probability p (BERT's corruption).
/// The length is unchanged.
public func tokenMasking(_ tokens: [Int], probability p: Double, mask: Int, rng: inout SeededRandom) -> [Int] {
    require(p >= 0 && p <= 1, "tokenMasking: probability must be in [0, 1], got \(p)")
    return tokens.map { rng.uniform() < p ? mask : $0 }
}

/// Token deletion: each token is removed with probability p. Unlike masking, the model must
/// also find *where* tokens are missing.
public func tokenDeletion(_ tokens: [Int], probability p: Double, rng: inout SeededRandom) -> [Int] {
    require(p >= 0 && p <= 1, "tokenDeletion: probability must be in [0, 1], got \(p)")
    return tokens.filter { _ in rng.uniform() >= p }
}

/// A sample of a Poisson(λ) count, by Knuth's method: multiply uniforms until the product drops
/// below e^−λ.
public func poissonSample(_ lambda: Double, rng: inout SeededRandom) -> Int {
    require(lambda > 0, "poissonSample: λ must be positive, got \(lambda)")
    let limit = Foundation.exp(-lambda)
    var k = 0
    var product = rng.uniform()
    while product > limit {
        k += 1
        product *= rng.uniform()
    }
    return k
}

/// Text infilling: spans with lengths drawn from Poisson(λ = 3) are each replaced by a *single*
/// `mask`, until about a fraction p of the tokens is covered. A span of length 0 inserts a mask,
/// so the model must also learn how many tokens a mask stands for.
///
/// Spans do not overlap each other; a span that would overlap an earlier one is skipped.
public func textInfilling(_ tokens: [Int], probability p: Double, meanSpanLength lambda: Double = 3,
                          mask: Int, rng: inout SeededRandom) -> [Int] {
    require(p >= 0 && p <= 1, "textInfilling: probability must be in [0, 1], got \(p)")
    let n = tokens.count
    let budget = Int((p * Double(n)).rounded())
    var covered = [Bool](repeating: false, count: n)
    var insertions = Set<Int>()      // positions before which a zero-length span puts a mask
    var starts: [Int: Int] = [:]     // span start → length
    var masked = 0
    var attempts = 0
    while masked < budget && attempts < 10 * n + 10 {
        attempts += 1
        let length = min(poissonSample(lambda, rng: &rng), budget - masked)
        let start = rng.integer(below: n - length + 1)
        if length == 0 {
            if !insertions.contains(start) && (start == n || !covered[start]) { insertions.insert(start) }
            continue
        }
        if covered[start..<(start + length)].contains(true) { continue }
        for i in start..<(start + length) { covered[i] = true }
        starts[start] = length
        masked += length
    }
    var out: [Int] = []
    var i = 0
    while i <= n {
        if insertions.contains(i) { out.append(mask) }
        guard i < n else { break }
        if let length = starts[i] {
            out.append(mask)
            i += length
        } else {
            out.append(tokens[i])
            i += 1
        }
    }
    return out
}

/// Sentence permutation: the document is split into sentences, each ending with `separator`
/// (the full stop), and the sentences are shuffled. Tokens after the last separator form a
/// final sentence.
public func sentencePermutation(_ tokens: [Int], separator: Int, rng: inout SeededRandom) -> [Int] {
    var sentences: [[Int]] = [[]]
    for token in tokens {
        sentences[sentences.count - 1].append(token)
        if token == separator { sentences.append([]) }
    }
    if sentences.last!.isEmpty { sentences.removeLast() }
    rng.shuffle(&sentences)
    return Array(sentences.joined())
}

/// Document rotation: a token is chosen uniformly and the document rotated to start with it;
/// the model must find the true start.
public func documentRotation(_ tokens: [Int], rng: inout SeededRandom) -> [Int] {
    guard !tokens.isEmpty else { return tokens }
    let k = rng.integer(below: tokens.count)
    return Array(tokens[k...] + tokens[..<k])
}
