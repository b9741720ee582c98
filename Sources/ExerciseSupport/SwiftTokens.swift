/// One token of Swift source, as the exercise rules see it.
///
/// The rules only need names, so the tokenizer keeps identifiers, attributes (`@_spi`),
/// directives (`#if`) and the punctuation that gives structure (braces, parentheses, dots).
/// Comments and the text of string literals are dropped; the code inside a string's
/// interpolation `\( … )` is kept, because it runs.
public struct SwiftToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A name or keyword: `func`, `lengthNormalisedScore`, `public`. Backticks are removed.
        case identifier
        /// `@` and the attribute's name: `@_spi`, `@testable`.
        case attribute
        /// `#` and the directive's name: `#if`, `#sourceLocation`.
        case directive
        /// A character of punctuation (`{`, `}`, `(`, `.`) or a whole operator (`==`, `->`).
        case punctuation
        /// A number literal, kept so that `x.0` does not read as a name.
        case number
    }

    public let kind: Kind
    public let text: String
    /// The 1-based line the token starts on.
    public let line: Int
}

/// Splits Swift source into tokens, skipping comments and string literal text.
///
/// Handles `//` and nested `/* */` comments, `"…"`, `"""…"""` and raw `#"…"#` strings with
/// their interpolations (nested to any depth), and backtick identifiers. Regex literals are
/// not recognised: their text reads as operators and names, which can only add names.
public func swiftTokens(_ source: String) -> [SwiftToken] {
    var lexer = SwiftLexer(Array(source.unicodeScalars))
    lexer.run()
    return lexer.tokens
}

struct SwiftLexer {
    let scalars: [Unicode.Scalar]
    var position = 0
    var line = 1
    var tokens: [SwiftToken] = []

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    mutating func advance() {
        if scalars[position] == "\n" { line += 1 }
        position += 1
    }

    static func isIdentifierStart(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s.properties.isAlphabetic || (s.value > 0x7F && !s.properties.isWhitespace && !s.properties.isPatternSyntax)
    }

    static func isIdentifierPart(_ s: Unicode.Scalar) -> Bool {
        isIdentifierStart(s) || ("0"..."9").contains(s) || s.properties.generalCategory == .nonspacingMark
    }

    /// Reads tokens until the end, or (inside an interpolation) until the `)` that closes it.
    mutating func run(closingInterpolation: Bool = false) {
        var parentheses = 0
        while let s = peek() {
            if s == "\n" || s.properties.isWhitespace { advance(); continue }
            if s == "/" && peek(1) == "/" { skipLineComment(); continue }
            if s == "/" && peek(1) == "*" { skipBlockComment(); continue }
            if s == "\"" || (s == "#" && rawStringStart() != nil) { readString(); continue }
            if closingInterpolation {
                if s == "(" { parentheses += 1 }
                if s == ")" {
                    if parentheses == 0 { advance(); return }
                    parentheses -= 1
                }
            }
            if s == "`" { readBacktickIdentifier(); continue }
            if Self.isIdentifierStart(s) { tokens.append(SwiftToken(kind: .identifier, text: readName(), line: line)); continue }
            if ("0"..."9").contains(s) { readNumber(); continue }
            if (s == "@" || s == "#"), let next = peek(1), Self.isIdentifierStart(next) {
                let start = line
                advance()
                tokens.append(SwiftToken(kind: s == "@" ? .attribute : .directive, text: String(s) + readName(), line: start))
                continue
            }
            if Self.operatorCharacters.contains(s) {
                let start = line
                var text = ""
                while let o = peek(), Self.operatorCharacters.contains(o), !(o == "/" && (peek(1) == "/" || peek(1) == "*")) {
                    text.unicodeScalars.append(o)
                    advance()
                }
                tokens.append(SwiftToken(kind: .punctuation, text: text, line: start))
                continue
            }
            tokens.append(SwiftToken(kind: .punctuation, text: String(s), line: line))
            advance()
        }
    }

    /// Characters that run together into one operator token: `==`, `->`, `&+`.
    static let operatorCharacters: Set<Unicode.Scalar> = ["=", "-", "+", "!", "*", "%", "<", ">", "&", "|", "^", "~", "?", "/"]

    mutating func readName() -> String {
        var name = ""
        while let s = peek(), Self.isIdentifierPart(s) { name.unicodeScalars.append(s); advance() }
        return name
    }

    mutating func readBacktickIdentifier() {
        let start = line
        advance()
        var name = ""
        while let s = peek(), s != "`", s != "\n" { name.unicodeScalars.append(s); advance() }
        if peek() == "`" { advance() }
        tokens.append(SwiftToken(kind: .identifier, text: name, line: start))
    }

    /// Reads a number literal: `42`, `0x2A`, `1_000`, `2.5`, `1e-3`, `0x1p+4`.
    mutating func readNumber() {
        let start = line
        var text = ""
        while let s = peek() {
            if Self.isIdentifierPart(s) || (s == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
                text.unicodeScalars.append(s)
                advance()
            } else if s == "+" || s == "-", let previous = text.unicodeScalars.last,
                      text.hasPrefix("0x") ? (previous == "p" || previous == "P") : (previous == "e" || previous == "E"),
                      peek(1).map({ ("0"..."9").contains($0) }) == true {
                // The sign of an exponent belongs to the literal.
                text.unicodeScalars.append(s)
                advance()
            } else {
                break
            }
        }
        tokens.append(SwiftToken(kind: .number, text: text, line: start))
    }

    mutating func skipLineComment() {
        while let s = peek(), s != "\n" { advance() }
    }

    mutating func skipBlockComment() {
        var depth = 0
        while peek() != nil {
            if peek() == "/" && peek(1) == "*" { depth += 1; advance(); advance(); continue }
            if peek() == "*" && peek(1) == "/" {
                depth -= 1; advance(); advance()
                if depth == 0 { return }
                continue
            }
            advance()
        }
    }

    /// The number of `#` before a `"` at the current position, if a raw string starts here.
    func rawStringStart() -> Int? {
        var count = 0
        while peek(count) == "#" { count += 1 }
        return peek(count) == "\"" ? count : nil
    }

    /// Skips a string literal, tokenizing the code of its interpolations.
    mutating func readString() {
        let hashes = rawStringStart() ?? 0
        for _ in 0..<hashes { advance() }
        let multiline = peek() == "\"" && peek(1) == "\"" && peek(2) == "\""
        for _ in 0..<(multiline ? 3 : 1) { advance() }
        while let s = peek() {
            if s == "\\" && (0..<hashes).allSatisfy({ peek(1 + $0) == "#" }) {
                let after = peek(1 + hashes)
                for _ in 0...hashes { advance() }
                if after == "(" {
                    advance()
                    run(closingInterpolation: true)
                } else if peek() != nil {
                    advance()
                }
                continue
            }
            if s == "\"" {
                let quotes = multiline ? 3 : 1
                if (0..<quotes).allSatisfy({ peek($0) == "\"" }) && (0..<hashes).allSatisfy({ peek(quotes + $0) == "#" }) {
                    for _ in 0..<(quotes + hashes) { advance() }
                    return
                }
            }
            if s == "\n" && !multiline { return }
            advance()
        }
    }
}
