import ExerciseSupport
import Testing

/// The rules every exercise answer must keep are read from tokens: these tests show what
/// counts as a use and what does not.
@Suite("Exercise source rules: forbidden functions, system access, public names")
struct SourceRulesTests {
    let exercise = Exercise("8.2", "Length normalisation", stars: 1, api: ["normalisedScore"],
                            forbidden: ["lengthNormalisedScore"], hints: ["a", "b"])

    func violations(_ source: String, api: Set<String> = ["normalisedScore"]) -> [String] {
        SourceRules.violations(of: exercise, in: [SourceRules.File(path: "Exercises/Chapter8/Exercises.swift", source: source)],
                               chapterAPI: api)
    }

    @Test("Tokens: comments and string text are dropped, interpolated code is kept")
    func tokens() {
        let source = ##"""
        // lengthNormalisedScore in a comment
        /* nested /* lengthNormalisedScore */ still comment */
        let a = "lengthNormalisedScore \(helper(x)) done"
        let b = #"raw \(notCode) \#(rawCode)"#
        let c = """
            multi \(inner) line
            """
        let `func` = 1.5
        """##
        let names = swiftTokens(source).filter { $0.kind == .identifier }.map(\.text)
        #expect(names == ["let", "a", "helper", "x", "let", "b", "rawCode", "let", "c", "inner", "let", "func"])
        #expect(swiftTokens("x\ny\n\nz").map(\.line) == [1, 2, 4])
        #expect(swiftTokens("@_silgen_name(\"f\") #if").map(\.text) == ["@_silgen_name", "(", ")", "#if"])
    }

    @Test("A direct call of the forbidden function is named, with its line")
    func directCall() {
        let found = violations("""
        public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
            lengthNormalisedScore(logProbability: logProbability, length: length, alpha: alpha)
        }
        """)
        #expect(found.count == 1)
        #expect(found.first?.contains("8.2 calls `lengthNormalisedScore` (Exercises/Chapter8/Exercises.swift:2)") == true, "\(found)")
    }

    @Test("Mentions in comments and strings do not count")
    func commentsAndStrings() {
        let found = violations("""
        /// Do not call `lengthNormalisedScore`.
        public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
            // lengthNormalisedScore would be easier
            let note = "not lengthNormalisedScore"
            _ = note
            return logProbability / pow(Float(length), alpha)
        }
        """)
        #expect(found.isEmpty, "\(found)")
    }

    @Test("A call through private helpers is followed, and the chain is named")
    func helpers() {
        let found = violations("""
        public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
            scale(logProbability, length, alpha)
        }
        private func scale(_ p: Float, _ l: Int, _ a: Float) -> Float { Helper.apply(p, l, a) }
        enum Helper {
            static func apply(_ p: Float, _ l: Int, _ a: Float) -> Float { "\\(lengthNormalisedScore(logProbability: p, length: l, alpha: a))".count == 0 ? 0 : 1 }
        }
        """)
        #expect(found.count == 1)
        #expect(found.first?.contains("in `scale` → `Helper`") == true, "\(found)")
    }

    @Test("A helper no exercise function reaches does not count against this exercise")
    func unreachable() {
        let found = violations("""
        public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
            logProbability / pow(Float(length), alpha)
        }
        func beamHelper(length: Int) -> Float { lengthNormalisedScore(logProbability: -1, length: length, alpha: 1) }
        """)
        #expect(found.isEmpty, "parameter names shared with another function must not link them: \(found)")
    }

    @Test("A custom operator is followed like a function")
    func operators() {
        let found = violations("""
        prefix operator ~~~
        prefix func ~~~ (x: Float) -> Float { lengthNormalisedScore(logProbability: x, length: 2, alpha: 1) }
        public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
            ~~~logProbability
        }
        """)
        #expect(found.count == 1 && found[0].contains("calls `lengthNormalisedScore`") && found[0].contains("in `~~~`"), "\(found)")
    }

    @Test("System access is refused; `open` as a modifier is not system access")
    func systemAccess() {
        let found = violations("""
        public func normalisedScore(logProbability: Float, length: Int, alpha: Float) throws -> Float {
            _ = FileManager.default.contents(atPath: "/etc/passwd")
            return 0
        }
        """)
        #expect(found.count == 1 && found[0].contains("uses `FileManager`"), "\(found)")
        #expect(violations("public func normalisedScore() {}\nopen class Box {}", api: ["normalisedScore", "Box"]).isEmpty)
        let words = violations("""
        public func normalisedScore() -> Float {
            let open = [1, 2], exit = 3
            return Float(open.count + exit + Int(write("x")))
        }
        func write(_ s: String) -> Int32 {
            Glibc.write(1, s, 1)
        }
        """)
        #expect(words.count == 2 && words.allSatisfy { $0.contains("uses `write`") }
                && words[0].contains(":3") && words[1].contains(":6, in `write`"),
                "a variable named open or exit is fine; a free call of write is not, nor Glibc.write: \(words)")
    }

    @Test("Only the exercise API may be public: an overload of abs or == is refused")
    func publicNames() {
        let found = violations("""
        public func normalisedScore() -> Float { 0 }
        public func abs(_ x: Float) -> Float { 0 }
        extension Float { public static func == (a: Float, b: Float) -> Bool { true } }
        package func leak() {}
        struct Inner { public var fine = 1 }
        """)
        #expect(found.contains { $0.contains(":2 makes `abs` public") }, "\(found)")
        #expect(found.contains { $0.contains(":3 makes `==` public") }, "\(found)")
        #expect(found.contains { $0.contains(":4 makes `leak` package") }, "\(found)")
        #expect(found.count == 3, "a public member of an internal type cannot leak: \(found)")
    }

    @Test("Underscored attributes and @testable are refused")
    func attributes() {
        let found = violations("""
        @_silgen_name("swift_something") func sneaky()
        @testable import Decoding
        public func normalisedScore() -> Float { 0 }
        """)
        #expect(found.contains { $0.contains("uses `@_silgen_name`") } && found.contains { $0.contains("uses `@testable`") }, "\(found)")
    }
}
