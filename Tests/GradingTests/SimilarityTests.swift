import ExerciseReports
import ExerciseSupport
import Foundation
import Grading
import Testing

/// Answers to exercises 1.4 and 1.7, written as students write them: one original, a copy of it
/// disguised (names changed, helpers reordered, comments and blank lines added, numbers written
/// differently), and one written independently.
enum Answers {
    static let header = "import ExerciseSupport\nimport ScalarAutodiff\n\n"

    static let original = header + """
    /// 1.4: depth-first, each stack entry remembers which input comes next.
    public func topologicalSort(_ root: Value) throws -> [Value] {
        var order: [Value] = []
        var placed: Set<ObjectIdentifier> = [ObjectIdentifier(root)]
        var path: [(node: Value, next: Int)] = [(root, 0)]
        while !path.isEmpty {
            let (node, next) = path[path.count - 1]
            if next == node.inputs.count {
                order.append(node)
                path.removeLast()
                continue
            }
            path[path.count - 1].next += 1
            descend(into: node.inputs[next], along: &path, placed: &placed)
        }
        return order
    }

    func descend(into input: Value, along path: inout [(node: Value, next: Int)], placed: inout Set<ObjectIdentifier>) {
        if placed.insert(ObjectIdentifier(input)).inserted {
            path.append((input, 0))
        }
    }

    public func trainXOR(inputs: [[Double]], targets: [Double], rng: inout SeededRandom) throws -> MLP {
        let network = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
        let samples = inputs.map { row in row.map { Value($0) } }
        var epoch = 0
        while epoch < 600 {
            let loss = currentLoss(network, samples, targets)
            if loss.data < 0.001 { break }
            network.zeroGradients()
            loss.backward()
            network.gradientDescentStep(learningRate: 0.05)
            epoch += 1
        }
        return network
    }

    func currentLoss(_ network: MLP, _ samples: [[Value]], _ targets: [Double]) -> Value {
        let outputs = samples.map { network($0)[0] }
        return meanSquaredError(predictions: outputs, targets: targets)
    }
    """

    /// The original with every name it declares changed, its helpers moved above, new
    /// comments, other blank lines and numbers written another way.
    static let disguised = header + """
    // Helper: goes one level down when the input is new.
    func goDown(to child: Value, stack s: inout [(node: Value, next: Int)], seen: inout Set<ObjectIdentifier>) {
        if seen.insert(ObjectIdentifier(child)).inserted {   // first visit
            s.append((child, 0))
        }
    }

    func lossNow(_ net: MLP, _ xs: [[Value]], _ ys: [Double]) -> Value {
        let predicted = xs.map { net($0)[0] }     // forward pass
        return meanSquaredError(predictions: predicted, targets: ys)
    }

    /* Topological sort without recursion. */
    public func topologicalSort(_ start: Value) throws -> [Value] {
        var result: [Value] = []

        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(start)]
        var s: [(node: Value, next: Int)] = [(start, 0)]
        while !s.isEmpty {
            let (v, k) = s[s.count - 1]
            if k == v.inputs.count {
                result.append(v)   // all inputs are in already
                s.removeLast()
                continue
            }
            s[s.count - 1].next += 1
            goDown(to: v.inputs[k], stack: &s, seen: &seen)
        }
        return result
    }

    public func trainXOR(inputs: [[Double]], targets: [Double], rng: inout SeededRandom) throws -> MLP {
        let net = MLP(inputs: 0x2, layerSizes: [8, 1], rng: &rng)
        let xs = inputs.map { r in r.map { Value($0) } }
        var i = 0
        while i < 6e2 {
            let l = lossNow(net, xs, targets)
            if l.data < 1e-3 { break }
            net.zeroGradients()
            l.backward()
            net.gradientDescentStep(learningRate: 5e-2)
            i += 1
        }
        return net
    }
    """

    /// Written without seeing the others: Kahn's algorithm, and a training loop of its own.
    static let independent = header + """
    public func topologicalSort(_ root: Value) throws -> [Value] {
        // Collect every node, and count how many nodes use each one.
        var nodes: [ObjectIdentifier: Value] = [:]
        var users: [ObjectIdentifier: Int] = [:]
        var frontier = [root]
        while let next = frontier.popLast() {
            let id = ObjectIdentifier(next)
            if nodes[id] != nil { continue }
            nodes[id] = next
            for input in next.inputs {
                users[ObjectIdentifier(input), default: 0] += 1
                frontier.append(input)
            }
        }
        // Peel nodes nobody uses any more, from the root down, then reverse.
        var ready = [root]
        var reversedOrder: [Value] = []
        while let node = ready.popLast() {
            reversedOrder.append(node)
            for input in node.inputs {
                let id = ObjectIdentifier(input)
                users[id]! -= 1
                if users[id] == 0 { ready.append(input) }
            }
        }
        return reversedOrder.reversed()
    }

    public func trainXOR(inputs: [[Double]], targets: [Double], rng: inout SeededRandom) throws -> MLP {
        let model = MLP(inputs: 2, layerSizes: [8, 1], rng: &rng)
        for _ in 1...400 {
            var total = Value(0)
            for (point, target) in zip(inputs, targets) {
                let guess = model(point.map { Value($0) })[0]
                let error = guess - Value(target)
                total = total + error * error
            }
            let mse = total * Value(1.0 / Double(targets.count))
            for parameter in model.parameters { parameter.grad = 0 }
            mse.backward()
            for parameter in model.parameters { parameter.data -= 0.1 * parameter.grad }
        }
        return model
    }
    """

    static func sources(_ text: String) -> [Int: [SourceFile]] {
        [1: [SourceFile(path: "Exercises.swift", contents: Data(text.utf8))]]
    }

    static func book(_ path: String) throws -> [Int: [SourceFile]] {
        sources(try String(contentsOf: bookPackage.appendingPathComponent(path), encoding: .utf8))
    }
}

@Suite("Grading: answers that are the same once names, comments, order and number formats are normalised away")
struct SimilarityTests {
    let exercises = Catalogue.exercises(inChapter: 1)

    func report(_ students: [(String, String)], reference: Bool = false, threshold: Double = SimilarityReport.threshold) throws -> SimilarityReport {
        SimilarityReport(students: students.map { ($0.0, Answers.sources($0.1)) }, exercises: exercises,
                         stubs: try Answers.book("Exercises/Chapter1/Exercises.swift"),
                         reference: reference ? try Answers.book("Solutions/Chapter1/Exercises.swift") : nil, threshold: threshold)
    }

    @Test("A copy with renamed variables, reordered helpers and new comments is flagged, with the matching lines")
    func disguisedCopy() throws {
        let result = try report([("alice", Answers.original), ("bob", Answers.disguised)])
        for number in ["1.4", "1.7"] {
            let pair = try #require(result.pairs.first { $0.exercise == number }, "\(number) was not flagged: \(result.pairs)")
            #expect(pair.first == "alice" && pair.second == "bob")
            #expect(pair.score >= 0.9, "\(number): \(pair)")
            #expect(pair.firstLines.hasPrefix("Exercises.swift:") && pair.secondLines.hasPrefix("Exercises.swift:"))
        }
    }

    @Test("Two answers written independently are not flagged, and neither is a copy of the other's stub-only exercises")
    func independentAnswers() throws {
        let result = try report([("alice", Answers.original), ("carol", Answers.independent)])
        #expect(result.pairs.isEmpty, "\(result.pairs)")
        let three = try report([("alice", Answers.original), ("bob", Answers.disguised), ("carol", Answers.independent)])
        #expect(Set(three.pairs.map { "\($0.first)-\($0.second)" }) == ["alice-bob"], "\(three.pairs)")
    }

    @Test("The stub's own code never counts: two untouched stubs are not similar")
    func stubsIgnored() throws {
        let stub = try String(contentsOf: bookPackage.appendingPathComponent("Exercises/Chapter1/Exercises.swift"), encoding: .utf8)
        let result = try report([("dan", stub), ("eve", stub)])
        #expect(result.pairs.isEmpty, "\(result.pairs)")
        #expect(result.answersCompared == 0)
    }

    @Test("An answer equal to the reference solution, comments changed, is flagged as such")
    func referenceCopy() throws {
        var solution = try String(contentsOf: bookPackage.appendingPathComponent("Solutions/Chapter1/Exercises.swift"), encoding: .utf8)
        solution = solution.replacingOccurrences(of: "///", with: "// my notes:")
            .replacingOccurrences(of: "order", with: "sorted").replacingOccurrences(of: "seen", with: "visited")
        let result = try report([("frank", solution), ("alice", Answers.original)], reference: true)
        let copies = result.pairs.filter(\.involvesReference)
        #expect(copies.contains { $0.exercise == "1.4" && ($0.first == "frank" || $0.second == "frank") }, "\(result.pairs)")
        #expect(!copies.contains { $0.first == "alice" || $0.second == "alice" }, "alice wrote her own: \(copies)")
        let csv = result.csv()
        #expect(csv.hasPrefix("exercise,student_a,student_b,score,shared_fingerprints,lines_a,lines_b\r\n"))
        #expect(csv.contains(SimilarityReport.referenceName))
    }

    @Test("Normalising: names the answer declares become one symbol, names it uses stay, numbers are one symbol")
    func normalising() {
        let a = Fingerprints([("A.swift", swiftTokens("func f(_ x: Double) -> Double { let y = exp(x) * 2.0; return y + 1 }"))])
        let b = Fingerprints([("B.swift", swiftTokens("func g(_ z: Double) -> Double { let w = exp(z) * 2;   return w + 1.0 }"))])
        let c = Fingerprints([("C.swift", swiftTokens("func g(_ z: Double) -> Double { let w = log(z) * 2;   return w + 1.0 }"))])
        #expect(!a.isEmpty)
        #expect(a.hashes == b.hashes, "renaming and number formats change nothing")
        #expect(a.hashes != c.hashes, "a different function called is a different answer")
    }
}
