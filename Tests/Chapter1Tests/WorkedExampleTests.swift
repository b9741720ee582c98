import Foundation
import ScalarAutodiff
import Testing

@Suite("Chapter 1: the worked examples of the text")
struct Chapter1WorkedExampleTests {
    @Test("Example A: L = (a·b + c)·f gives L = −8 and the six gradients of the text")
    func exampleA() {
        let a = Value(2, label: "a"), b = Value(-3, label: "b")
        let c = Value(10, label: "c"), f = Value(-2, label: "f")
        let e = a * b
        let d = e + c
        let L = d * f
        #expect(e.data == -6)
        #expect(d.data == 4)
        #expect(L.data == -8)
        L.backward()
        #expect(L.grad == 1)
        #expect(f.grad == 4, "dL/df = d = 4")
        #expect(d.grad == -2, "dL/dd = f = -2")
        #expect(c.grad == -2, "dL/dc = dL/dd · 1")
        #expect(e.grad == -2, "dL/de = dL/dd · 1")
        #expect(a.grad == 6, "dL/da = dL/de · b = -2 · -3")
        #expect(b.grad == -4, "dL/db = dL/de · a = -2 · 2")
    }

    @Test("Example B: the tanh neuron gives o = 0.7071 and the gradients of the text")
    func exampleB() {
        let x1 = Value(2), x2 = Value(0), w1 = Value(-3), w2 = Value(1)
        let b = Value(6.8813735870195432)
        let n = x1 * w1 + x2 * w2 + b
        let o = n.tanh()
        #expect(abs(n.data - 0.8814) < 5e-5)
        #expect(abs(o.data - 0.7071) < 5e-5)
        o.backward()
        #expect(abs(n.grad - 0.5) < 5e-5, "do/dn = 1 − tanh²(n) = 0.5")
        #expect(abs(x1.grad - -1.5) < 5e-5)
        #expect(abs(w1.grad - 1.0) < 5e-5)
        #expect(abs(x2.grad - 0.5) < 5e-5)
        #expect(abs(w2.grad - 0.0) < 5e-5)
        #expect(abs(b.grad - 0.5) < 5e-5)
    }

    @Test("The MLP(2, [16, 16, 1]) of the demo has 337 parameters")
    func mlpParameterCount() {
        var rng = SeededRandom(seed: 0)
        let mlp = MLP(inputs: 2, layerSizes: [16, 16, 1], rng: &rng)
        // (2·16 + 16) + (16·16 + 16) + (16·1 + 1)
        #expect(mlp.parameters.count == 48 + 272 + 17)
    }
}
