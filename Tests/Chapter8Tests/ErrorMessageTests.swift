import Decoding
import Foundation
import ScalarAutodiff
import Testing

/// Invalid hyperparameters and broken models stop with a message naming which and why.
/// Each check runs the bad call in a child process.
@Suite("Chapter 8: bad input gets a clear message")
struct Chapter8ErrorMessageTests {
    func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("Beam width 0 says the width must be at least 1")
    func beamWidthZero() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = beamSearch(LookupTableModel.catsAndDogs.model, width: 0, maxLength: 5)
        }
        #expect(standardError(result).contains("beamSearch: the beam width must be at least 1, got 0"), "got: \(standardError(result))")
    }

    @Test("Top-p outside (0, 1] is refused, at 0 and above 1")
    func topPOutOfRange() async {
        let zero = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = nucleusFilter([0.5, 0.5], p: 0)
        }
        #expect(standardError(zero).contains("nucleusFilter: top-p must be in (0, 1] (the probability mass kept), got 0.0"), "got: \(standardError(zero))")
        let above = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            _ = ancestralSample(LookupTableModel.catsAndDogs.model, maxLength: 5, topP: 1.5, rng: &rng)
        }
        #expect(standardError(above).contains("ancestralSample: top-p must be in (0, 1] (the probability mass kept), got 1.5"), "got: \(standardError(above))")
    }

    @Test("A temperature ≤ 0 is refused, with the hint that T → 0 is greedy")
    func temperatureNotPositive() async {
        let zero = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            _ = ancestralSample(LookupTableModel.catsAndDogs.model, maxLength: 5, temperature: 0, rng: &rng)
        }
        #expect(standardError(zero).contains("ancestralSample: the temperature must be a finite number > 0 (T → 0 is greedy decoding), got 0.0"),
                "got: \(standardError(zero))")
        let negative = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = applyTemperature([1, 2], -1)
        }
        #expect(standardError(negative).contains("applyTemperature: the temperature must be a finite number > 0"), "got: \(standardError(negative))")
    }

    @Test("k < 1 in top-k is refused")
    func topKBelowOne() async {
        let filter = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = topKFilter([1, 2, 3], k: 0)
        }
        #expect(standardError(filter).contains("topKFilter: k must be at least 1 (the number of tokens kept), got 0"), "got: \(standardError(filter))")
        let sampler = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            _ = ancestralSample(LookupTableModel.catsAndDogs.model, maxLength: 5, topK: -2, rng: &rng)
        }
        #expect(standardError(sampler).contains("ancestralSample: top-k must be at least 1 (the number of tokens kept), got -2"), "got: \(standardError(sampler))")
    }

    @Test("Length normalisation with a negative α, and a repetition penalty below 1, say why")
    func alphaAndTheta() async {
        let alpha = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = beamSearch(LookupTableModel.catsAndDogs.model, width: 2, maxLength: 5, alpha: -0.5)
        }
        #expect(standardError(alpha).contains("beamSearch: the length-normalisation α must be a finite number ≥ 0, got -0.5"), "got: \(standardError(alpha))")
        let theta = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = DecodingRules(endToken: 0, repetitionPenalty: 0.5)
        }
        #expect(standardError(theta).contains("DecodingRules: the repetition penalty θ must be a finite number ≥ 1 (1 means none), got 0.5"),
                "got: \(standardError(theta))")
        let groups = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = diverseBeamSearch(LookupTableModel.catsAndDogs.model, groups: 0, widthPerGroup: 2, diversityStrength: 1, maxLength: 5)
        }
        #expect(standardError(groups).contains("diverseBeamSearch: the number of groups must be at least 1, got 0"), "got: \(standardError(groups))")
    }

    @Test("A model returning the wrong number of log-probabilities, or NaN, is named")
    func brokenModel() async {
        let count = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = NextTokenModel(vocabularySize: 4) { _ in [-1, -1, -1] as [Float] }
            _ = greedyDecode(model, maxLength: 3, endToken: 0)
        }
        #expect(standardError(count).contains("greedyDecode: the model returned 3 log-probabilities for a vocabulary of 4"), "got: \(standardError(count))")
        let nan = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let model = NextTokenModel(vocabularySize: 2) { _ in [-1, .nan] as [Float] }
            _ = beamSearch(model, width: 2, maxLength: 3)
        }
        #expect(standardError(nan).contains("beamSearch: the model returned nan as the log-probability of token 1 (NaN or +∞)"), "got: \(standardError(nan))")
    }
}
