// The Porter stemmer (Porter 1980), as rouge-score applies it with `use_stemmer=True`: NLTK's
// PorterStemmer in its default mode, which adds a few refinements to the published algorithm
// (marked "NLTK" below). Stemming lets ROUGE match "cats" with "cat" and "running" with "run".
//
// A word is read as consonants (c) and vowels (v): a, e, i, o, u are vowels, and y is a vowel
// after a consonant. Every word has the form [C](VC)^m[V], and m, its *measure*, decides most
// rules: "tree" has m = 0, "trouble" m = 1, "troubles" m = 2.

/// The words NLTK stems by lookup, before any rule.
let irregularStems: [String: String] = [
    "sky": "sky", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie", "news": "news",
    "innings": "inning", "inning": "inning", "outings": "outing", "outing": "outing",
    "cannings": "canning", "canning": "canning", "howe": "howe", "proceed": "proceed",
    "exceed": "exceed", "succeed": "succeed",
]

/// The Porter stem of a word, as NLTK's `PorterStemmer().stem(word)` gives it: "running" → "run",
/// "cats" → "cat", "generously" → "generous", "relational" → "relat".
public func porterStem(_ word: String) -> String {
    let lower = pythonLowercased(word)
    if let stem = irregularStems[lower] { return stem }
    if word.unicodeScalars.count <= 2 { return lower }
    var w = Word(lower)
    w = w.step1a().step1b().step1c().step2().step3().step4().step5a().step5b()
    return w.text
}

/// A word as an array of scalars, with the tests the rules use.
struct Word {
    var letters: [Unicode.Scalar]

    init(_ text: String) { letters = Array(text.unicodeScalars) }
    init(_ letters: [Unicode.Scalar]) { self.letters = letters }

    var text: String { String(String.UnicodeScalarView(letters)) }

    func endsWith(_ suffix: String) -> Bool {
        let s = Array(suffix.unicodeScalars)
        return letters.count >= s.count && letters.suffix(s.count).elementsEqual(s)
    }

    func dropping(_ count: Int) -> Word { Word(Array(letters.dropLast(count))) }
    func appending(_ suffix: String) -> Word { Word(letters + Array(suffix.unicodeScalars)) }

    static func isVowel(_ c: Unicode.Scalar) -> Bool { "aeiou".unicodeScalars.contains(c) }

    /// Whether letter i is a consonant: not a vowel, and a y only after a vowel (or first).
    func isConsonant(_ i: Int) -> Bool {
        if Word.isVowel(letters[i]) { return false }
        guard letters[i] == "y" else { return true }
        var j = i, negate = false
        while j > 0 && letters[j] == "y" {
            negate.toggle()
            j -= 1
        }
        return !Word.isVowel(letters[j]) != negate
    }

    /// m in [C](VC)^m[V]: the number of vowel-consonant transitions.
    var measure: Int {
        var m = 0
        for i in letters.indices.dropFirst() where !isConsonant(i - 1) && isConsonant(i) { m += 1 }
        return m
    }

    var containsVowel: Bool { letters.indices.contains { !isConsonant($0) } }

    /// *d: ends with a double consonant.
    var endsWithDoubleConsonant: Bool {
        letters.count >= 2 && letters[letters.count - 1] == letters[letters.count - 2] && isConsonant(letters.count - 1)
    }

    /// *o: ends consonant-vowel-consonant, the last not w, x or y (NLTK: or is a two-letter
    /// vowel-consonant word).
    var endsCVC: Bool {
        let n = letters.count
        if n >= 3 && isConsonant(n - 3) && !isConsonant(n - 2) && isConsonant(n - 1) && !"wxy".unicodeScalars.contains(letters[n - 1]) {
            return true
        }
        return n == 2 && !isConsonant(0) && isConsonant(1)
    }

    /// One rule: a suffix ("*d" for a double consonant), its replacement, and a condition on the
    /// stem left when the suffix is removed.
    struct Rule {
        let suffix: String
        let replacement: String
        let condition: ((Word) -> Bool)?
        init(_ suffix: String, _ replacement: String, _ condition: ((Word) -> Bool)? = nil) {
            (self.suffix, self.replacement, self.condition) = (suffix, replacement, condition)
        }
    }

    /// Applies the first rule whose suffix matches; if its condition fails, the word is left as
    /// it is (later rules are not tried).
    func applying(_ rules: [Rule]) -> Word {
        for rule in rules {
            if rule.suffix == "*d" {
                guard endsWithDoubleConsonant else { continue }
                let stem = dropping(2)
                return rule.condition.map { $0(stem) } ?? true ? stem.appending(rule.replacement) : self
            }
            if endsWith(rule.suffix) {
                let stem = dropping(rule.suffix.unicodeScalars.count)
                return rule.condition.map { $0(stem) } ?? true ? stem.appending(rule.replacement) : self
            }
        }
        return self
    }

    static let positive: @Sendable (Word) -> Bool = { $0.measure > 0 }
    static let aboveOne: @Sendable (Word) -> Bool = { $0.measure > 1 }

    /// Plurals: sses → ss, ies → i, ss → ss, s → (NLTK: a four-letter "-ies" word keeps "ie").
    func step1a() -> Word {
        if endsWith("ies") && letters.count == 4 { return dropping(3).appending("ie") }
        return applying([Rule("sses", "ss"), Rule("ies", "i"), Rule("ss", "ss"), Rule("s", "")])
    }

    /// -eed, -ed, -ing, then tidying the stem (-at → -ate, a double consonant → single, …).
    func step1b() -> Word {
        if endsWith("ied") { return dropping(3).appending(letters.count == 4 ? "ie" : "i") }   // NLTK
        if endsWith("eed") {
            let stem = dropping(3)
            return stem.measure > 0 ? stem.appending("ee") : self
        }
        var intermediate: Word?
        for suffix in ["ed", "ing"] where endsWith(suffix) {
            let stem = dropping(suffix.count)
            if stem.containsVowel {
                intermediate = stem
                break
            }
        }
        guard let stem = intermediate else { return self }
        let last = String(stem.letters[stem.letters.count - 1])
        return stem.applying([
            Rule("at", "ate"), Rule("bl", "ble"), Rule("iz", "ize"),
            Rule("*d", last) { _ in !"lsz".contains(last) },
            Rule("", "e") { $0.measure == 1 && $0.endsCVC },
        ])
    }

    /// y → i after a consonant that is not the whole stem (NLTK's rule: "happy" → "happi", "sky" stays).
    func step1c() -> Word {
        applying([Rule("y", "i") { $0.letters.count > 1 && $0.isConsonant($0.letters.count - 1) }])
    }

    /// Double suffixes to single ones, for m > 0: -ational → -ate, -izer → -ize, ….
    func step2() -> Word {
        if endsWith("alli") && dropping(4).measure > 0 { return dropping(4).appending("al").step2() }   // NLTK
        let word = self
        return applying([
            Rule("ational", "ate", Word.positive), Rule("tional", "tion", Word.positive),
            Rule("enci", "ence", Word.positive), Rule("anci", "ance", Word.positive),
            Rule("izer", "ize", Word.positive), Rule("bli", "ble", Word.positive),
            Rule("alli", "al", Word.positive), Rule("entli", "ent", Word.positive),
            Rule("eli", "e", Word.positive), Rule("ousli", "ous", Word.positive),
            Rule("ization", "ize", Word.positive), Rule("ation", "ate", Word.positive),
            Rule("ator", "ate", Word.positive), Rule("alism", "al", Word.positive),
            Rule("iveness", "ive", Word.positive), Rule("fulness", "ful", Word.positive),
            Rule("ousness", "ous", Word.positive), Rule("aliti", "al", Word.positive),
            Rule("iviti", "ive", Word.positive), Rule("biliti", "ble", Word.positive),
            Rule("fulli", "ful", Word.positive),                                          // NLTK
            Rule("logi", "log") { _ in word.dropping(3).measure > 0 },                      // NLTK
        ])
    }

    /// -icate, -ative, -alize, -iciti, -ical, -ful, -ness, for m > 0.
    func step3() -> Word {
        applying([
            Rule("icate", "ic", Word.positive), Rule("ative", "", Word.positive), Rule("alize", "al", Word.positive),
            Rule("iciti", "ic", Word.positive), Rule("ical", "ic", Word.positive), Rule("ful", "", Word.positive),
            Rule("ness", "", Word.positive),
        ])
    }

    /// Removes -al, -ance, -ence, -er, -ic, -able, … when m > 1.
    func step4() -> Word {
        applying([
            Rule("al", "", Word.aboveOne), Rule("ance", "", Word.aboveOne), Rule("ence", "", Word.aboveOne),
            Rule("er", "", Word.aboveOne), Rule("ic", "", Word.aboveOne), Rule("able", "", Word.aboveOne),
            Rule("ible", "", Word.aboveOne), Rule("ant", "", Word.aboveOne), Rule("ement", "", Word.aboveOne),
            Rule("ment", "", Word.aboveOne), Rule("ent", "", Word.aboveOne),
            Rule("ion", "") { $0.measure > 1 && ($0.letters.last == "s" || $0.letters.last == "t") },
            Rule("ou", "", Word.aboveOne), Rule("ism", "", Word.aboveOne), Rule("ate", "", Word.aboveOne),
            Rule("iti", "", Word.aboveOne), Rule("ous", "", Word.aboveOne), Rule("ive", "", Word.aboveOne),
            Rule("ize", "", Word.aboveOne),
        ])
    }

    /// A final e goes when m > 1, or when m = 1 and the stem does not end cvc.
    func step5a() -> Word {
        guard endsWith("e") else { return self }
        let stem = dropping(1)
        if stem.measure > 1 || (stem.measure == 1 && !stem.endsCVC) { return stem }
        return self
    }

    /// -ll → -l when m > 1.
    func step5b() -> Word {
        let word = self
        return applying([Rule("ll", "l") { _ in word.dropping(1).measure > 1 }])
    }
}
