import ExerciseSupport

/// The fingerprints of one answer: the code an exercise's API reaches, normalised, cut into
/// k-grams of tokens, hashed, and winnowed (Schleimer, Wilkerson and Aiken, "Winnowing: local
/// algorithms for document fingerprinting", SIGMOD 2003, the algorithm behind MOSS).
///
/// Normalising removes what a copy changes without changing the code:
/// - comments and whitespace (the tokenizer drops them, and the text of string literals);
/// - the names the answer declares itself (variables, parameters, helper functions and
///   types, closure parameters) all become `V`, so renaming them changes nothing, while the
///   names it uses from the book and the standard library (`Value`, `exp`, `reduce`) and
///   members (`x.data`) stay;
/// - every number literal becomes `N`, so `1`, `1.0` and `1e0` read the same.
///
/// Each top-level declaration is fingerprinted on its own, so reordering helper functions
/// changes nothing either. Winnowing keeps, in every window of `window` consecutive k-gram
/// hashes, the smallest: any run of at least `k + window − 1` matching tokens shares a
/// fingerprint, and matches shorter than `k` tokens (noise, common idioms) never count.
public struct Fingerprints: Sendable {
    /// Tokens per k-gram.
    public static let k = 10
    /// Hashes per winnowing window.
    public static let window = 6

    /// One kept hash and where its k-gram starts: file and line.
    public struct Mark: Sendable, Hashable {
        public let path: String
        public let line: Int
    }

    /// The kept hashes, each with the places it occurs.
    public private(set) var marks: [UInt64: [Mark]] = [:]

    public var hashes: Set<UInt64> { Set(marks.keys) }
    public var isEmpty: Bool { marks.isEmpty }

    /// Fingerprints the declarations (path and tokens) of one answer.
    public init(_ declarations: [(path: String, tokens: [SwiftToken])]) {
        let names = Self.declaredNames(declarations.flatMap(\.tokens))
        for declaration in declarations {
            let tokens = declaration.tokens
            let normal = tokens.indices.map { index in
                let before = index > 0 ? tokens[index - 1].text : ""
                // A label (`f(of: x)`, `(node: Value, next: Int)`) is renamed only when the answer
                // declares it as a parameter of its own.
                let isLabel = (before == "(" || before == ",") && index + 1 < tokens.count && tokens[index + 1].text == ":"
                return Self.normalise(tokens[index], declared: isLabel ? names.parameters : names.all, afterDot: before == ".")
            }
            guard normal.count >= Self.k else { continue }
            let tokenHashes = normal.map(Self.hash)
            let grams = (0...(normal.count - Self.k)).map { start in
                (hash: Self.combine(tokenHashes[start..<(start + Self.k)]), line: declaration.tokens[start].line)
            }
            var kept = Set<Int>()
            if grams.count <= Self.window {
                kept.insert(grams.indices.min { grams[$0].hash < grams[$1].hash }!)
            } else {
                for start in 0...(grams.count - Self.window) {
                    // The rightmost smallest, as the paper chooses, so equal runs give one mark.
                    var best = start
                    for index in start..<(start + Self.window) where grams[index].hash <= grams[best].hash { best = index }
                    kept.insert(best)
                }
            }
            for index in kept.sorted() {
                marks[grams[index].hash, default: []].append(Mark(path: declaration.path, line: grams[index].line))
            }
        }
    }

    /// Drops the hashes found in `other` (the stub's code, or code most of the class shares).
    public mutating func remove(_ other: Set<UInt64>) {
        for hash in other { marks.removeValue(forKey: hash) }
    }

    /// The token as compared: keywords and names from elsewhere as they are, the answer's own
    /// names as `V`, numbers as `N`. A name after a dot is a member (`x.data`, a tuple's
    /// `.next`) and stays as it is, even when a local variable has the same name.
    static func normalise(_ token: SwiftToken, declared: Set<String>, afterDot: Bool) -> String {
        switch token.kind {
        case .number: return "N"
        case .identifier: return !afterDot && declared.contains(token.text) && !keywords.contains(token.text) ? "V" : token.text
        default: return token.text
        }
    }

    /// Names the code declares: after `let`, `var`, `func`, `for`, `case`, a type keyword, or
    /// `typealias`; parameter names in a function's parentheses; closure parameters before `in`.
    /// `parameters` holds the functions' parameter names and labels alone.
    static func declaredNames(_ tokens: [SwiftToken]) -> (all: Set<String>, parameters: Set<String>) {
        var names = Set<String>()
        var parameters = Set<String>()
        let introducers: Set<String> = ["let", "var", "func", "for", "case", "struct", "class", "enum", "actor", "protocol", "typealias"]
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.kind == .identifier && introducers.contains(token.text) {
                // `let (a, b)`, `for (i, x) in`, `case let .some(x)`: every name up to `=`, `:`, `in` or `{`.
                var next = index + 1
                var depth = 0
                while next < tokens.count {
                    let text = tokens[next].text
                    if text == "(" { depth += 1 } else if text == ")" { depth -= 1; if depth < 0 { break } }
                    if depth == 0 && ["=", ":", "{", "in", "<", "where"].contains(text) { break }
                    if tokens[next].kind == .identifier && !keywords.contains(text)
                        && !(next > 0 && tokens[next - 1].text == ".") { names.insert(text) }
                    if depth == 0 && tokens[next].kind == .identifier && token.text != "case" && token.text != "for" { break }
                    next += 1
                }
                if token.text == "func" { parameters.formUnion(parameterNames(tokens, from: next)) }
            }
            if token.text == "in", let open = tokens[..<index].lastIndex(where: { $0.text == "{" }),
               tokens[(open + 1)..<index].allSatisfy({ $0.kind == .identifier || [",", "(", ")", "_"].contains($0.text) }) {
                for parameter in tokens[(open + 1)..<index] where parameter.kind == .identifier { names.insert(parameter.text) }
            }
            index += 1
        }
        return (names.union(parameters), parameters)
    }

    /// The names of a function's parameters, local and external: `(_ a: T, label b: T)` gives
    /// `a`, `label` and `b` (an answer's own helper may have its labels renamed too).
    static func parameterNames(_ tokens: [SwiftToken], from start: Int) -> Set<String> {
        guard let open = tokens[start...].firstIndex(where: { $0.text == "(" }) else { return [] }
        var names = Set<String>()
        var depth = 0
        var index = open
        while index < tokens.count {
            let text = tokens[index].text
            if text == "(" || text == "[" || text == "<" { depth += 1 }
            if text == ")" || text == "]" || text == ">" {
                depth -= 1
                if depth == 0 { break }
            }
            if depth == 1, text == ":", index > 0, tokens[index - 1].kind == .identifier {
                names.insert(tokens[index - 1].text)
                if index > 1, tokens[index - 2].kind == .identifier, tokens[index - 2].text != "_" {
                    names.insert(tokens[index - 2].text)
                }
            }
            index += 1
        }
        return names
    }

    /// Words whose meaning is fixed: never renamed.
    static let keywords: Set<String> = [
        "let", "var", "func", "for", "in", "while", "repeat", "if", "else", "guard", "switch", "case", "default",
        "return", "throw", "throws", "try", "catch", "do", "break", "continue", "where", "as", "is", "self", "Self",
        "true", "false", "nil", "struct", "class", "enum", "actor", "protocol", "extension", "typealias", "init",
        "inout", "some", "any", "public", "private", "fileprivate", "internal", "static", "mutating", "_",
    ]

    /// The 64-bit FNV-1a hash of a token.
    static func hash(_ token: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in token.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// One hash for a k-gram, from its tokens' hashes in order.
    static func combine(_ hashes: ArraySlice<UInt64>) -> UInt64 {
        var combined: UInt64 = 0x9e37_79b9_7f4a_7c15
        for hash in hashes { combined = (combined ^ hash) &* 0x0000_0100_0000_01b3 &+ 0x1f }
        return combined
    }
}
