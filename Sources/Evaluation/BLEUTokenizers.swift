// sacreBLEU's tokenizers. BLEU counts n-grams of tokens, so the score depends on where a sentence
// is cut into tokens: "mat." is one token and "mat ." two. sacreBLEU fixes the cut (13a, the
// tokenizer of NIST's mteval-v13a script, by default) and names it in its signature, so that
// scores computed by different people can be compared (Post 2018).

/// How a sentence is split into tokens before BLEU counts n-grams: sacreBLEU's `tokenize=`.
public enum BLEUTokenizer: String, Sendable, CaseIterable {
    /// mteval-v13a, sacreBLEU's default: punctuation and symbols become tokens of their own,
    /// except a period or comma between digits ("3.14", "1,000") and a dash not after a digit;
    /// `&quot;`, `&amp;`, `&lt;` and `&gt;` are unescaped first.
    case thirteenA = "13a"
    /// Whitespace only: the text is assumed to be tokenized already.
    case none
    /// mteval-v14's international tokenizer: every Unicode punctuation mark (category P) not
    /// between digits, and every symbol (category S), becomes a token.
    case intl
    /// Every character (Unicode scalar) is a token, whitespace dropped.
    case char

    /// The tokenized line: tokens joined by single spaces (split it with ``pythonSplit(_:)``).
    public func tokenize(_ line: String) -> String {
        switch self {
        case .none: return line
        case .thirteenA: return tokenize13a(Array(line.unicodeScalars))
        case .intl: return tokenizeIntl(Array(line.unicodeScalars))
        case .char: return line.unicodeScalars.map { String($0) }.joined(separator: " ")
        }
    }
}

/// mteval-v13a as sacreBLEU applies it.
func tokenize13a(_ line: [Unicode.Scalar]) -> String {
    var s = pythonReplacing(line, "<skipped>", "")
    s = pythonReplacing(s, "-\n", "")
    s = pythonReplacing(s, "\n", " ")
    if s.contains("&") {
        s = pythonReplacing(s, "&quot;", "\"")
        s = pythonReplacing(s, "&amp;", "&")
        s = pythonReplacing(s, "&lt;", "<")
        s = pythonReplacing(s, "&gt;", ">")
    }
    s = [" "] + s + [" "]
    // Every ASCII punctuation mark and symbol except . , - and ' is a token: { | } ~ [ \ ] ^ _ `
    // space ! " # $ % & ( ) * + : ; < = > ? @ /.
    s = separate(s) { c in
        switch c.value {
        case 0x7B...0x7E, 0x5B...0x60, 0x20...0x26, 0x28...0x2B, 0x3A...0x40, 0x2F: return true
        default: return false
        }
    }
    let digit = { (c: Unicode.Scalar) in ("0"..."9").contains(c) }
    let periodOrComma = { (c: Unicode.Scalar) in c == "." || c == "," }
    // A period or comma not after a digit, then one not before a digit, then a dash after a digit.
    s = rewritePairs(s, first: { !digit($0) }, second: periodOrComma) { [$0, " ", $1, " "] }
    s = rewritePairs(s, first: periodOrComma, second: { !digit($0) }) { [" ", $0, " ", $1] }
    s = rewritePairs(s, first: digit, second: { $0 == "-" }) { [$0, " ", $1, " "] }
    return pythonSplit(String(String.UnicodeScalarView(s))).joined(separator: " ")
}

/// mteval-v14's international tokenizer as sacreBLEU applies it.
func tokenizeIntl(_ line: [Unicode.Scalar]) -> String {
    var s = rewritePairs(line, first: { !isNumber($0) }, second: isPunctuation) { [$0, " ", $1, " "] }
    s = rewritePairs(s, first: isPunctuation, second: { !isNumber($0) }) { [" ", $0, " ", $1] }
    s = separate(s, where: isSymbol)
    return pythonSplit(String(String.UnicodeScalarView(s))).joined(separator: " ")
}

/// Python's `re.sub(r'([class])', r' \1 ', s)`: a space on each side of every matching scalar.
func separate(_ s: [Unicode.Scalar], where matches: (Unicode.Scalar) -> Bool) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(s.count + 8)
    for c in s {
        if matches(c) { result += [" ", c, " "] } else { result.append(c) }
    }
    return result
}

/// Python's `re.sub(r'(A)(B)', replacement, s)` for two one-scalar classes: scanning left to
/// right, each pair a ∈ A, b ∈ B is rewritten and both are consumed, so the b of one match is
/// never the a of the next ("a.." rewrites the first period only).
func rewritePairs(_ s: [Unicode.Scalar], first: (Unicode.Scalar) -> Bool, second: (Unicode.Scalar) -> Bool,
                  _ rewrite: (Unicode.Scalar, Unicode.Scalar) -> [Unicode.Scalar]) -> [Unicode.Scalar] {
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(s.count + 8)
    var i = 0
    while i < s.count {
        if i + 1 < s.count && first(s[i]) && second(s[i + 1]) {
            result += rewrite(s[i], s[i + 1])
            i += 2
        } else {
            result.append(s[i])
            i += 1
        }
    }
    return result
}

/// Unicode category N (Nd, Nl, No): `\p{N}`.
func isNumber(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .decimalNumber, .letterNumber, .otherNumber: return true
    default: return false
    }
}

/// Unicode category P (Pc, Pd, Ps, Pe, Pi, Pf, Po): `\p{P}`.
func isPunctuation(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
         .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
    default: return false
    }
}

/// Unicode category S (Sm, Sc, Sk, So): `\p{S}`.
func isSymbol(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: return true
    default: return false
    }
}
