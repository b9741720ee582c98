import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// GELU, softplus, LeakyReLU and SiLU: values at worked points, gradients against central
/// differences, and the layers that wrap them.
@Suite("Chapter 2: activations GELU, softplus, LeakyReLU and SiLU")
struct Chapter2ActivationTests {
    @Test("Values at worked points: GELU(1) = Φ(1), softplus(0) = log 2, LeakyReLU(−2) = −0.02, SiLU(1) = σ(1)")
    func workedValues() {
        let x = Tensor([-2, 0, 1])
        // Φ(1) = 0.841344746…, so GELU(1) = 0.841345; GELU(−2) = −2·Φ(−2) = −0.045500.
        #expect(x.gelu().isClose(to: Tensor([-0.0455003, 0, 0.8413447]), tolerance: 1e-6), "GELU: \(x.gelu())")
        // tanh approximation at 1: ½(1 + tanh(0.7978846·1.044715)) = 0.841192.
        #expect(x.gelu(tanhApproximation: true).isClose(to: Tensor([-0.0454023, 0, 0.8411920]), tolerance: 1e-6),
                "GELU (tanh): \(x.gelu(tanhApproximation: true))")
        #expect(x.softplus().isClose(to: Tensor([0.1269280, 0.6931472, 1.3132616]), tolerance: 1e-6), "softplus: \(x.softplus())")
        #expect(x.leakyRelu() == Tensor([-0.02, 0, 1]), "LeakyReLU: \(x.leakyRelu())")
        #expect(x.leakyRelu(slope: 0.2) == Tensor([-0.4, 0, 1]))
        #expect(x.silu().isClose(to: Tensor([-0.2384058, 0, 0.7310586]), tolerance: 1e-6), "SiLU: \(x.silu())")
    }

    @Test("softplus is x above its threshold and stays accurate far below 0")
    func softplusEdges() {
        let y = Tensor([30, -30, 25]).softplus()
        #expect(y.scalars[0] == 30 && y.scalars[2] == 25, "above βx = 20 softplus returns x, got \(y)")
        #expect(abs(Double(y.scalars[1]) / exp(-30.0) - 1) < 1e-5, "softplus(−30) = log1p(e⁻³⁰) ≈ 9.36e-14, got \(y.scalars[1])")
        let sharp = Tensor([1]).softplus(beta: 2)
        #expect(abs(sharp.scalar - Float(log1p(exp(2.0)) / 2)) < 1e-6, "softplus with β = 2 is log(1 + e²ˣ)/2, got \(sharp)")
    }

    @Test("Every activation's backward rule against central differences")
    func gradients() {
        let x = randomInput([3, 5], seed: 41, low: -3, high: 3, gap: 0.1)
        let cases: [(String, (Variable) -> Variable)] = [
            ("gelu", { $0.gelu() }),
            ("gelu tanh", { $0.gelu(tanhApproximation: true) }),
            ("softplus", { $0.softplus() }),
            ("softplus β = 2", { $0.softplus(beta: 2) }),
            ("leakyRelu", { $0.leakyRelu() }),
            ("leakyRelu 0.3", { $0.leakyRelu(slope: 0.3) }),
            ("silu", { $0.silu() }),
        ]
        for (name, f) in cases {
            let (worst, detail) = gradientCheck([x]) { f($0[0]) }
            #expect(worst < 5e-3, "\(name): backward disagrees with central differences by \(worst); \(detail)")
        }
    }

    @Test("The gradients at the edges: LeakyReLU's slope at 0, softplus above the threshold")
    func edgeGradients() {
        let x = Variable(Tensor([0, 2, -2]))
        x.leakyRelu(slope: 0.1).sum().backward()
        #expect(x.gradient == Tensor([0.1, 1, 0.1]), "LeakyReLU at 0 takes the slope, as in PyTorch: got \(x.gradient)")
        let big = Variable(Tensor([25]))
        big.softplus().sum().backward()
        #expect(big.gradient == Tensor([1]), "above the threshold softplus is x, with gradient 1, got \(big.gradient)")
    }

    @Test("The layers apply their functions and have no parameters")
    func layers() {
        let x = Variable.constant(Tensor([[-1, 0.5]]))
        let model = Sequential([GELU(), SiLU(), LeakyReLU(slope: 0.2), Softplus()])
        let expected = x.value.gelu().silu().leakyRelu(slope: 0.2).softplus()
        #expect(model(x).value.isClose(to: expected, tolerance: 1e-6))
        #expect(model.parameters.isEmpty && model.namedParameters.isEmpty)
    }
}
