import ScalarAutodiff
import Testing
import Transformers

/// BART's five kinds of noise and T5's span corruption: deterministic for a seed, and each
/// keeping what it should keep.
@Suite("Chapter 7: denoising objectives")
struct Chapter7DenoisingTests {
    let document = Array(10..<40)

    @Test("Token masking keeps the length and only ever writes the mask token; p = 0.3 masks about 30%")
    func masking() {
        var rng = SeededRandom(seed: 1)
        let long = Array(0..<2000).map { $0 % 50 + 10 }
        let out = tokenMasking(long, probability: 0.3, mask: 3, rng: &rng)
        #expect(out.count == long.count)
        #expect(zip(long, out).allSatisfy { $1 == $0 || $1 == 3 })
        let fraction = Double(out.filter { $0 == 3 }.count) / 2000
        #expect(abs(fraction - 0.3) < 0.04, "fraction masked \(fraction)")
        var a = SeededRandom(seed: 9), b = SeededRandom(seed: 9)
        #expect(tokenMasking(document, probability: 0.3, mask: 3, rng: &a) == tokenMasking(document, probability: 0.3, mask: 3, rng: &b))
    }

    @Test("Every noise function repeats exactly for the same seed and is the identity at p = 0")
    func deterministic() {
        func run(_ seed: UInt64) -> [[Int]] {
            var rng = SeededRandom(seed: seed)
            let text = document.enumerated().map { $0.offset % 6 == 5 ? 1 : $0.element }
            return [tokenMasking(document, probability: 0.2, mask: 3, rng: &rng),
                    tokenDeletion(document, probability: 0.2, rng: &rng),
                    textInfilling(document, probability: 0.2, mask: 3, rng: &rng),
                    sentencePermutation(text, separator: 1, rng: &rng),
                    documentRotation(document, rng: &rng),
                    randomSpanCorruption(document, sentinels: [99, 98, 97, 96], rng: &rng).input]
        }
        #expect(run(11) == run(11))
        #expect(run(11) != run(12), "a different seed gives different noise")
        var rng = SeededRandom(seed: 13)
        #expect(tokenMasking(document, probability: 0, mask: 3, rng: &rng) == document)
        #expect(tokenDeletion(document, probability: 0, rng: &rng) == document)
        #expect(textInfilling(document, probability: 0, mask: 3, rng: &rng) == document)
    }

    @Test("Token deletion leaves a subsequence in the original order")
    func deletion() {
        var rng = SeededRandom(seed: 2)
        let out = tokenDeletion(document, probability: 0.3, rng: &rng)
        #expect(out.count < document.count && out.count > 10)
        #expect(out == document.filter { out.contains($0) }, "the kept tokens stay in order")
    }

    @Test("Text infilling: each span becomes one mask; the kept tokens stay in order")
    func infilling() {
        var rng = SeededRandom(seed: 3)
        let out = textInfilling(document, probability: 0.3, mask: 3, rng: &rng)
        let kept = out.filter { $0 != 3 }
        #expect(kept == document.filter { kept.contains($0) })
        #expect(document.count - kept.count == 9, "round(0.3 × 30) = 9 tokens are covered by spans")
        #expect(out.count < document.count, "spans of several tokens shrink to one mask each")
    }

    @Test("Poisson(3) samples have mean about 3")
    func poisson() {
        var rng = SeededRandom(seed: 4)
        let samples = (0..<4000).map { _ in poissonSample(3, rng: &rng) }
        let mean = Double(samples.reduce(0, +)) / 4000
        #expect(abs(mean - 3) < 0.1, "mean \(mean)")
    }

    @Test("Sentence permutation keeps every sentence whole; rotation is a rotation")
    func permutationAndRotation() {
        let text = [5, 6, 1, 7, 8, 9, 1, 10, 1, 11, 12, 1]   // separator 1
        var rng = SeededRandom(seed: 5)
        let permuted = sentencePermutation(text, separator: 1, rng: &rng)
        func sentences(_ t: [Int]) -> [[Int]] {
            t.split(separator: 1, omittingEmptySubsequences: true).map(Array.init)
        }
        #expect(sentences(permuted).sorted { $0[0] < $1[0] } == sentences(text).sorted { $0[0] < $1[0] })
        #expect(permuted != text, "seed 5 reorders the four sentences")
        var rng2 = SeededRandom(seed: 6)
        let rotated = documentRotation(document, rng: &rng2)
        let k = rotated.count - (rotated.firstIndex(of: document[0]) ?? 0)
        #expect(Array(document[k...] + document[..<k]) == rotated)
    }

    @Test("T5's example: 'Thank you <X> me to your party <Y> week .' and '<X> for inviting <Y> last <Z>'")
    func t5Example() {
        let words = ["Thank", "you", "for", "inviting", "me", "to", "your", "party", "last", "week", ".", "<X>", "<Y>", "<Z>"]
        let tokens = Array(0..<11)
        let (input, target) = spanCorruption(tokens, spans: [2..<4, 8..<9], sentinels: [11, 12, 13])
        #expect(input.map { words[$0] }.joined(separator: " ") == "Thank you <X> me to your party <Y> week .")
        #expect(target.map { words[$0] }.joined(separator: " ") == "<X> for inviting <Y> last <Z>")
        #expect(undoSpanCorruption(input: input, target: target, sentinels: [11, 12, 13]) == tokens)
    }

    @Test("Random span corruption: 15% noise in spans of mean length 3, undone exactly")
    func randomSpans() {
        let sentinels = [99, 98, 97, 96, 95, 94, 93]
        for seed in UInt64(0)..<20 {
            var rng = SeededRandom(seed: seed)
            let tokens = Array(0..<40)
            let (input, target) = randomSpanCorruption(tokens, sentinels: sentinels, rng: &rng)
            let spans = input.filter { $0 >= 93 }.count
            #expect(spans == 2, "round(0.15 × 40) = 6 noise tokens in round(6/3) = 2 spans")
            #expect(target.count == 6 + 3, "6 dropped tokens and 3 sentinels")
            #expect(undoSpanCorruption(input: input, target: target, sentinels: sentinels) == tokens)
        }
    }
}
