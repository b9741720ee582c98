import ScalarAutodiff
import Tensors
import Testing

/// The forward behaviour of tensors: storage, shapes, reductions, shape operations, masks.
@Suite("Chapter 2: tensor operations")
struct Chapter2TensorTests {
    let x = Tensor([[1, 2, 3], [4, 5, 6]])

    @Test("Row-major layout, subscripts, strides, and copy-on-write")
    func layout() {
        #expect(x.shape == [2, 3] && x.strides == [3, 1] && x[1, 2] == 6)
        var y = x
        y[0, 0] = 100
        #expect(x[0, 0] == 1, "changing a copy must not change the original")
        #expect(y.scalars == [100, 2, 3, 4, 5, 6])
        #expect(Tensor.zeros([2, 3, 4]).reshaped([6, -1]).shape == [6, 4])
    }

    @Test("Reductions: sum, mean, max and argmax along axes")
    func reductions() {
        #expect(x.sum().scalar == 21 && x.mean().scalar == 3.5)
        #expect(x.mean(axis: 0) == Tensor([2.5, 3.5, 4.5]))
        #expect(x.max(axis: 1, keepingDimension: true) == Tensor(shape: [2, 1], scalars: [3, 6]))
        #expect(Tensor([[0, 5, 2], [7, 1, 7]]).argmax() == [1, 0], "ties go to the first maximum")
    }

    @Test("Transpose, permute, concatenate, slice, gather")
    func shapeOperations() {
        #expect(x.transposed() == Tensor([[1, 4], [2, 5], [3, 6]]))
        let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Float.init))
        let p = cube.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3] && p[3, 1, 2] == cube[1, 2, 3], "permuted axis i is original axis order[i]")
        #expect(Tensor.concatenate([x, x], axis: 1) == Tensor([[1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6]]))
        #expect(Tensor.concatenate([x, x], axis: 0).shape == [4, 3])
        #expect(x.slice(axis: 1, 1..<3) == Tensor([[2, 3], [5, 6]]))
        let table = Tensor([[0, 0], [1, 1], [2, 2]])
        let looked = table.gatherRows([2, 0, 2, 1], indexShape: [2, 2])
        #expect(looked.shape == [2, 2, 2] && looked.scalars == [2, 2, 0, 0, 2, 2, 1, 1])
    }

    @Test("stack adds an axis; detached stops gradients; oneHot")
    func stackDetachOneHot() {
        let a = Variable(Tensor([[1, 2], [3, 4]])), b = Variable(Tensor([[5, 6], [7, 8]]))
        let s = Variable.stack([a, b], axis: 1)
        #expect(s.shape == [2, 2, 2] && s.value.scalars == [1, 2, 5, 6, 3, 4, 7, 8])
        #expect(Variable.stack([a, b], axis: 0).value.scalars == [1, 2, 3, 4, 5, 6, 7, 8])
        let y = (a * a.detached()).sum()
        y.backward()
        #expect(a.grad == a.value, "d(a·stop(a))/da = a, not 2a: the detached copy is a constant")
        #expect(Tensor.oneHot([2, 0], classes: 3) == Tensor([[0, 0, 1], [1, 0, 0]]))
    }

    @Test("Masks: causal mask, maskedFill, select")
    func masks() {
        #expect(Tensor.causalMask(3) == Tensor([[0, 1, 1], [0, 0, 1], [0, 0, 0]]))
        let scores = Tensor.zeros([2, 3, 3]).maskedFill(Tensor.causalMask(3), with: -.infinity)
        let attention = scores.softmax()
        #expect(attention.slice(axis: 1, 0..<1).scalars == [1, 0, 0, 1, 0, 0],
                "the first position can only attend to itself")
        #expect(attention[0, 2, 0] == attention[0, 2, 2] && abs(attention[0, 2, 1] - 1.0 / 3) < 1e-6)
        #expect(Tensor.select(Tensor([1, 0, 1]), Tensor([1, 2, 3]), Tensor(0)) == Tensor([1, 0, 3]))
    }

    @Test("Batched matmul: each matrix of the batch, and a batch times one matrix")
    func batchedMatmul() {
        var rng = SeededRandom(seed: 5)
        let a = Tensor.randomNormal([3, 4, 5], rng: &rng), b = Tensor.randomNormal([3, 5, 2], rng: &rng)
        let c = a.matmul(b)
        for i in 0..<3 {
            let single = a.slice(axis: 0, i..<(i + 1)).reshaped([4, 5]).matmul(b.slice(axis: 0, i..<(i + 1)).reshaped([5, 2]))
            #expect(c.slice(axis: 0, i..<(i + 1)).reshaped([4, 2]).isClose(to: single), "batch \(i) differs")
        }
        let w = Tensor.randomNormal([5, 6], rng: &rng)
        #expect(a.matmul(w).isClose(to: a.reshaped([12, 5]).matmul(w).reshaped([3, 4, 6])))
    }

    @Test("Only variables that need gradients record a graph")
    func constantsRecordNothing() {
        let c = Variable.constant(Tensor([1, 2]))
        let y = (c * 3).exp()
        #expect(!y.requiresGrad && y.inputs.isEmpty, "operations on constants should not build a graph")
        let w = Variable(Tensor([1, 2]))
        let z = (c * w).sum()
        #expect(z.requiresGrad && z.topologicalOrder().count == 3, "z depends on w, c·w and itself")
        z.backward()
        #expect(w.grad == Tensor([1, 2]) && c.grad == nil)
    }

    @Test("A graph 20,000 nodes deep backpropagates and is released without overflowing the stack")
    func deepGraph() {
        let w = Variable(Tensor([0.5]))
        var h = Variable.constant(Tensor([1]))
        for _ in 0..<10_000 { h = (h * w) + 0.5 }
        h.sum().backward()
        #expect(w.grad!.scalar.isFinite, "the gradient through 10,000 steps should be finite")
    }

    @Test("Broadcasting agrees with reading every index by hand", arguments: [
        ([3, 4], [4]), ([3, 4], [3, 1]), ([2, 1, 4], [3, 1]), ([4], [2, 3, 4]), ([], [2, 2]), ([2, 3, 1], [1, 3, 5]),
    ])
    func broadcastingByHand(_ shapes: ([Int], [Int])) {
        var rng = SeededRandom(seed: 8)
        let a = Tensor.randomNormal(shapes.0, rng: &rng), b = Tensor.randomNormal(shapes.1, rng: &rng)
        let sum = a - b
        let shape = Tensor.broadcastShape(a.shape, b.shape, op: "test")
        #expect(sum.shape == shape)
        // Read x at an output index: drop leading axes it lacks, use 0 on its size-1 axes.
        func read(_ x: Tensor, _ index: [Int]) -> Float {
            let own = Array(index.suffix(x.rank))
            return x.scalars[zip(own, x.shape).reduce(0) { $0 * $1.1 + ($1.1 == 1 ? 0 : $1.0) }]
        }
        var index = Array(repeating: 0, count: shape.count)
        for i in 0..<sum.count {
            var rest = i
            for axis in stride(from: shape.count - 1, through: 0, by: -1) {
                index[axis] = rest % shape[axis]
                rest /= shape[axis]
            }
            let expected = read(a, index) - read(b, index)
            #expect(sum.scalars[i] == expected, "\(shapes.0) − \(shapes.1) at \(index): expected \(expected), got \(sum.scalars[i])")
        }
        // Every element of a and b was used (output count / own count) times.
        for x in [a, b] {
            let copies = Float(sum.count / x.count)
            #expect(Tensor.ones(shape).unbroadcast(to: x.shape) == Tensor(repeating: copies, shape: x.shape),
                    "summing ones of shape \(shape) back to \(x.shape) should count \(copies) copies per element")
        }
    }
}
