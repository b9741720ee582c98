import Foundation
import ScalarAutodiff
import Tensors
import Testing
import VariationalAutoencoders

/// Bad input to the VAE's pieces stops with a message naming the function and what is wrong.
/// Each check runs the bad code in a child process.
@Suite("Chapter 4: bad input gets a clear message")
struct Chapter4ErrorMessageTests {
    func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("Reparameterising with ε of the wrong shape names all three shapes")
    func reparameteriseShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = reparameterise(mu: Variable(Tensor.zeros([4, 2])), sigma: Variable(Tensor.ones([4, 2])), epsilon: Tensor.zeros([4, 3]))
        }
        #expect(standardError(result).contains("reparameterise: μ [4, 2], σ [4, 2] and ε [4, 3] must have the same shape"),
                "got: \(standardError(result))")
    }

    @Test("The KL of μ and log σ² of different shapes names both")
    func klShapes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = klDivergence(mu: Variable(Tensor.zeros([4, 2])), logVariance: Variable(Tensor.zeros([2, 4])))
        }
        #expect(standardError(result).contains("klDivergence: μ [4, 2] and log σ² [2, 4] must have the same shape"),
                "got: \(standardError(result))")
    }

    @Test("An overflowing log-variance is reported as a non-finite KL, not passed on as inf")
    func klOverflow() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = klDivergence(mu: Variable(Tensor.zeros([1, 2])), logVariance: Variable(Tensor([[0, 200]])))
        }
        #expect(standardError(result).contains("klDivergence: the KL is inf (not finite)"), "got: \(standardError(result))")
    }

    @Test("A negative β, in the loss or in an annealing schedule, says β must be ≥ 0")
    func negativeBeta() async {
        let schedule = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = KLAnnealing(target: -1, warmupSteps: 10)
        }
        #expect(standardError(schedule).contains("KLAnnealing: target β must be a finite number ≥ 0, got -1.0"),
                "got: \(standardError(schedule))")
        let loss = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let v = Variable(Tensor.zeros([1, 2]))
            _ = negativeELBO(x: Tensor.zeros([1, 2]), decoderOutput: v, mu: v, logVariance: v, beta: -0.5)
        }
        #expect(standardError(loss).contains("negativeELBO: β must be a finite number ≥ 0, got -0.5"), "got: \(standardError(loss))")
    }

    @Test("Interpolating with fewer than 2 steps, or between codes of different sizes, says why")
    func interpolationArguments() async {
        let steps = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = interpolateCodes(from: [0, 0], to: [1, 1], steps: 1)
        }
        #expect(standardError(steps).contains("interpolateCodes: steps must be at least 2 (the two end points), got 1"),
                "got: \(standardError(steps))")
        let sizes = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = interpolateCodes(from: [0, 0], to: [1, 1, 1], steps: 3)
        }
        #expect(standardError(sizes).contains("interpolateCodes: start has 2 dimensions but end has 3"), "got: \(standardError(sizes))")
    }

    @Test("Decoding codes of the wrong width names the expected shape")
    func decodeShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            let vae = VariationalAutoencoder(inputs: 4, hidden: [3], latent: 2, rng: &rng)
            _ = vae.decode(Tensor.zeros([5, 3]))
        }
        #expect(standardError(result).contains("VariationalAutoencoder.decode: expected z of shape [count, 2], got [5, 3]"),
                "got: \(standardError(result))")
    }

    @Test("A NaN in training names the step at which it appeared")
    func nanDuringTraining() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var rng = SeededRandom(seed: 1)
            let vae = VariationalAutoencoder(inputs: 4, hidden: [3], latent: 2, rng: &rng)
            var data = Tensor.randomUniform([8, 4], rng: &rng)
            data.scalars[5] = .nan
            trainVAE(vae, on: data, epochs: 1, batchSize: 8, learningRate: 1e-3, annealing: .constant(1), rng: &rng)
        }
        #expect(standardError(result).contains("binaryCrossEntropy: the loss is nan at training step 1"),
                "got: \(standardError(result))")
    }
}
