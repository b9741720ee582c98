import ScalarAutodiff
import Testing

@Suite("Chapter 1: graphs, reuse and depth")
struct Chapter1GraphTests {
    @Test("A value used twice collects both gradients: d(a + a)/da = 2, d(a·a)/da = 2a")
    func reusedNode() {
        let a = Value(3)
        (a + a).backward()
        #expect(a.grad == 2)
        let b = Value(3)
        (b * b).backward()
        #expect(b.grad == 6)
    }

    @Test("A diamond: x feeds two paths that meet again")
    func diamond() {
        // f = (2x)·(x + 1) = 2x² + 2x, df/dx = 4x + 2.
        let x = Value(1.5)
        let f = (x * 2) * (x + 1)
        f.backward()
        #expect(f.data == 7.5)
        #expect(x.grad == 8)
    }

    @Test("Topological order lists each node once, inputs first")
    func topologicalOrder() {
        let x = Value(1), y = Value(2)
        let s = x * y
        let f = s + s.tanh() + x
        let order = f.topologicalOrder()
        let ids = order.map(ObjectIdentifier.init)
        #expect(Set(ids).count == order.count, "no node twice")
        #expect(order.last === f)
        for (position, node) in order.enumerated() {
            for input in node.inputs {
                let inputPosition = order.firstIndex { $0 === input }
                #expect(inputPosition != nil && inputPosition! < position)
            }
        }
        // x, y, s, tanh, s + tanh, x, + : 6 distinct nodes.
        #expect(order.count == 6)
    }

    @Test("A graph 100,000 nodes deep runs backward and is freed without overflowing the stack")
    func deepGraph() {
        let x = Value(0.5)
        var y = x
        for _ in 0..<100_000 { y = y * 1.0 + 0.0 }
        y.backward()
        #expect(y.data == 0.5)
        #expect(x.grad == 1)
        // Dropping the last reference frees 300,000 nodes; the deinit must not recurse.
        y = Value(0)
        #expect(y.data == 0)
    }

    @Test("Gradients accumulate across backward passes until zeroed")
    func accumulationAndZeroing() {
        let a = Value(2), b = Value(5)
        let f = a * b
        f.backward()
        #expect(a.grad == 5)
        f.backward()
        #expect(a.grad == 10, "a second backward pass adds to the old gradient")
        f.zeroGradients()
        #expect(a.grad == 0 && b.grad == 0 && f.grad == 0)
        f.backward()
        #expect(a.grad == 5 && b.grad == 2)
    }

    @Test("Training the MLP by gradient descent lowers the hinge loss on two moons")
    func trainingLowersLoss() {
        var rng = SeededRandom(seed: 3)
        let mlp = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
        let xs = [[-1.0, 0.5], [0.8, 0.2], [0.1, -0.9], [1.2, 1.0], [-0.4, -0.3], [0.3, 0.7]]
        let ys = [-1.0, 1, 1, -1, 1, -1]
        func loss() -> Value {
            hingeLoss(scores: xs.map { mlp($0.map { Value($0) })[0] }, labels: ys)
        }
        let before = loss().data
        for _ in 0..<40 {
            let l = loss()
            mlp.zeroGradients()
            l.backward()
            mlp.gradientDescentStep(learningRate: 0.1)
        }
        let after = loss().data
        #expect(after < before / 2, "hinge loss went from \(before) to \(after)")
    }
}
