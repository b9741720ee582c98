// Text as Python sees it. sacreBLEU and rouge-score are Python programs, and their numbers depend
// on what Python calls whitespace, how it lowercases and how it compares strings: scalar by
// scalar, where Swift's String works with extended grapheme clusters and canonical equivalence.
// These functions work on Unicode scalars, as Python's str does.

/// Whether Python's `str.isspace()` is true for this scalar: the characters `str.split()` and
/// `str.strip()` treat as whitespace. Besides the usual ones this includes the information
/// separators U+001C–U+001F and U+0085, which Swift's `Character.isWhitespace` does not.
public func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
        return true
    default:
        return false
    }
}

/// Python's `text.split()`: the runs of non-whitespace scalars, with no empty pieces.
///
/// "a\u{1C}b  c" gives ["a", "b", "c"], where Swift's `split(whereSeparator: \.isWhitespace)`
/// would keep "a\u{1C}b" whole.
public func pythonSplit(_ text: String) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if isPythonWhitespace(scalar) {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        } else {
            current.append(scalar)
        }
    }
    if !current.isEmpty { words.append(String(current)) }
    return words
}

/// Python's `text.rstrip()`: the text without its trailing whitespace.
public func pythonRightStripped(_ text: String) -> String {
    var scalars = Array(text.unicodeScalars)
    while let last = scalars.last, isPythonWhitespace(last) { scalars.removeLast() }
    return String(String.UnicodeScalarView(scalars))
}

/// Python's `text.lower()`: each scalar's full lowercase mapping ("İ" becomes "i" followed by
/// U+0307, the Kelvin sign "K" becomes "k"), with one rule that looks at the context: a capital
/// sigma Σ at the end of a word becomes the final form ς, and σ elsewhere.
public func pythonLowercased(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var result = String.UnicodeScalarView()
    for (i, scalar) in scalars.enumerated() {
        if scalar.value == 0x03A3 {
            result.append(isFinalSigma(scalars, at: i) ? "\u{03C2}" : "\u{03C3}")
        } else {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
    }
    return String(result)
}

/// Unicode's Final_Sigma condition, as Python applies it: a cased letter before the sigma
/// (skipping case-ignorable scalars), and no cased letter after it (skipping them too).
func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
    var j = index - 1
    while j >= 0 && scalars[j].properties.isCaseIgnorable { j -= 1 }
    guard j >= 0 && scalars[j].properties.isCased else { return false }
    var k = index + 1
    while k < scalars.count && scalars[k].properties.isCaseIgnorable { k += 1 }
    return k == scalars.count || !scalars[k].properties.isCased
}

/// Python's `text.replace(old, new)` on scalars: every non-overlapping occurrence, left to right.
func pythonReplacing(_ text: [Unicode.Scalar], _ old: String, _ new: String) -> [Unicode.Scalar] {
    let pattern = Array(old.unicodeScalars), replacement = Array(new.unicodeScalars)
    guard !pattern.isEmpty, text.count >= pattern.count else { return text }
    var result: [Unicode.Scalar] = []
    result.reserveCapacity(text.count)
    var i = 0
    while i < text.count {
        if i + pattern.count <= text.count && text[i..<(i + pattern.count)].elementsEqual(pattern) {
            result += replacement
            i += pattern.count
        } else {
            result.append(text[i])
            i += 1
        }
    }
    return result
}

/// Python's `str.split("\n")`: pieces between line feeds, empty ones included. Swift's
/// `split(separator: "\n")` on a String would not split "\r\n", which is one Character.
func pythonLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        if scalar == "\n" {
            lines.append(String(current))
            current = String.UnicodeScalarView()
        } else {
            current.append(scalar)
        }
    }
    lines.append(String(current))
    return lines
}
