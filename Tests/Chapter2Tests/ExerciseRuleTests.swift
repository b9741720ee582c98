import ExerciseSupport
import Foundation
import Testing

/// The forbidden-symbol lists of chapter 2's exercises hold: an answer that hands the work to the
/// book's own function, directly or through a helper, is caught, while the reference answers,
/// which build each result from smaller parts, keep the rules.
@Suite("Chapter 2: the exercise rules catch answers that call the book's own function")
struct Chapter2ExerciseRuleTests {
    static let api = Catalogue.api(ofChapter: 2)

    func violations(_ number: String, _ source: String) -> [String] {
        SourceRules.violations(of: Catalogue.exercise(number)!, in: [SourceRules.File(path: "Exercises/Chapter2/Exercises.swift", source: source)],
                               chapterAPI: Self.api)
    }

    @Test("Calls of the reference function are caught, through a helper too, and comments do not count",
          arguments: [
            ("2.1", "public func sigmoidNode(_ x: Variable) throws -> Variable { x.sigmoid() }", "sigmoid"),
            ("2.2", "public func reduceGradient(_ g: Tensor, toShape shape: [Int]) throws -> Tensor { helper(g, shape) }\nfunc helper(_ g: Tensor, _ s: [Int]) -> Tensor { g.unbroadcast(to: s) }", "unbroadcast"),
            ("2.3", "public func stableLogSoftmax(_ z: [Float]) throws -> [Float] { Tensor(z).logSoftmax().scalars }", "logSoftmax"),
            ("2.4", "public func matmulNode(_ a: Variable, _ b: Variable) throws -> Variable { a.matmul(b) }", "matmul"),
            ("2.5", "public func adamUpdate(theta: inout [Float]) throws { var o = Adam([], learningRate: 1); o.step() }", "Adam"),
            ("2.6", "public func heInitialisation(fanIn: Int) throws -> Tensor { Initialisation.heNormal.sample([fanIn], fanIn: fanIn, fanOut: 1, rng: &r) }", "heNormal"),
            ("2.7", "public func paddedCrossEntropy(logits: Variable) throws -> Variable { crossEntropy(logits: logits, targets: []) }", "crossEntropy"),
            ("2.8", "public func logSoftmaxNode(_ z: Variable) throws -> Variable { z.logSoftmax() }", "logSoftmax"),
            ("2.9", "public func trainDigitClassifier() throws -> Sequential { run() }\nfunc run() -> Sequential { trainingLoop(steps: 1) { _ in 0 }; return m }", "trainingLoop"),
          ])
    func forbiddenCalls(_ item: (String, String, String)) {
        let (number, source, name) = item
        let messages = violations(number, source)
        #expect(messages.contains { $0.contains("\(number) calls `\(name)`") }, "\(number) should be refused for calling \(name): \(messages)")
        let commented = source.replacingOccurrences(of: "{ ", with: "{ // not \(name)\n", options: [], range: nil)
        #expect(violations(number, "// Do not call `\(name)`.\n" + commented.replacingOccurrences(of: name + "(", with: "other(")
            .replacingOccurrences(of: "." + name, with: ".other")).allSatisfy { !$0.contains("calls `\(name)`") },
                "a mention in a comment is not a call")
    }

    @Test("The reference answers keep every rule")
    func solutionsKeepTheRules() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Solutions/Chapter2")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted().map { name in
            SourceRules.File(path: "Solutions/Chapter2/" + name, source: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
        }
        for exercise in Catalogue.exercises(inChapter: 2) {
            #expect(SourceRules.violations(of: exercise, in: files, chapterAPI: Self.api).isEmpty, "\(exercise.number)'s reference answer breaks a rule")
            #expect(!exercise.forbidden.contains { name in exercise.api.contains(name) }, "\(exercise.number): an exercise's own name may not be forbidden")
            #expect((2...3).contains(exercise.hints.count) && Set(exercise.hints).count == exercise.hints.count,
                    "\(exercise.number) should have 2 or 3 different hints")
        }
    }
}
