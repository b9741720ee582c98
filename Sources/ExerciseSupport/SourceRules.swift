/// The rules every exercise answer must keep, checked on its source before its test runs.
///
/// 1. **No forbidden reference functions.** Each exercise lists the book functions that do its
///    work (``Exercise/forbidden``). An answer may not call them, directly or through a helper of
///    its own anywhere in the chapter's folder: every declaration the exercise's functions reach
///    by name is searched.
/// 2. **No reaching outside.** Files, processes, the environment, `exit` and the system calls
///    that could write to the test harness's output are not for exercise code (``systemNames``).
/// 3. **Only the exercise API is public.** A public (or `package`) declaration that is not one
///    of the chapter's exercise names could change what the tests call, for example a public
///    overload of `abs` or `==`. Members of the chapter's own types may be public.
/// 4. **No underscored attributes** (`@_silgen_name`, `@_spi`, `@_exported`, …) and no
///    `@testable`: they reach around access control.
///
/// The check reads tokens, not text: comments and the text of string literals never count,
/// while the code in a string's interpolation does. Its limits: it follows names, not types,
/// so a helper that shares a name with a reached function is searched too (stricter, never
/// looser); and it is a fence against accidents and casual cheating, not a sandbox. Code that
/// does arithmetic on raw pointers to reach the test's memory is not stopped by it.
public enum SourceRules {
    /// Names that reach files, processes, the environment or the test harness.
    public static let systemNames: Set<String> = [
        "FileManager", "FileHandle", "URL", "NSURL", "URLSession", "Bundle", "Process", "ProcessInfo",
        "CommandLine", "Thread", "Pipe", "NSTask", "fopen", "fdopen", "freopen", "fwrite", "fputs", "fprintf",
        "popen", "posix_spawn", "posix_spawnp", "fork", "vfork", "execv", "execve", "execvp",
        "execl", "execlp", "execle", "dlopen", "dlsym", "getenv", "setenv", "unsetenv", "_exit",
        "atexit", "sigaction", "syscall", "ptrace", "openat", "creat", "pwrite", "writev", "dup2", "unlink",
        "chdir", "mkdir", "rmdir", "tmpfile", "fputc", "putc", "truncate", "ftruncate", "symlink", "chmod",
        "setrlimit", "mmap", "pthread_create",
    ]

    /// Modules through which a C library call can be spelled out: `Glibc.write(…)`.
    static let cLibraryModules: Set<String> = ["Glibc", "Darwin", "Musl", "Foundation", "ucrt", "WinSDK", "Android", "Bionic"]

    /// C library calls whose names are also ordinary words (an "open" hypothesis, a "write"
    /// head): they count only when called as a free function, `open(…)`, not as a variable or
    /// a method.
    public static let systemCalls: Set<String> = [
        "open", "write", "exit", "system", "kill", "raise", "signal", "socket", "connect", "dup", "rename",
        "remove", "link",
    ]

    /// One exercise file: the path to show in messages and its text.
    public struct File: Sendable {
        public let path: String
        public let source: String
        public init(path: String, source: String) {
            self.path = path
            self.source = source
        }
    }

    /// Every rule the files break that concerns `exercise`, as messages a student can act on.
    /// Empty when the answer keeps the rules.
    ///
    /// - Parameters:
    ///   - exercise: the exercise whose test is about to run.
    ///   - files: every `.swift` file of the chapter's exercise folder.
    ///   - chapterAPI: the names the chapter's exercises may declare public.
    public static func violations(of exercise: Exercise, in files: [File], chapterAPI: Set<String>) -> [String] {
        let declarations = files.flatMap { file in Declaration.split(swiftTokens(file.source), path: file.path) }
        var messages = publicAndAttributeViolations(declarations, api: chapterAPI)
        for (index, via) in reached(from: Set(exercise.api), in: declarations) {
            let declaration = declarations[index]
            let path = via.isEmpty ? "" : ", in " + via.map { "`\($0)`" }.joined(separator: " → ")
            for token in declaration.tokens where token.kind == .identifier {
                let place = "\(declaration.path):\(token.line)\(path)"
                if exercise.forbidden.contains(token.text) {
                    messages.append("\(exercise.number) calls `\(token.text)` (\(place)), which this exercise asks you to write. Write it from the other parts of the book instead (a function of your own with that name counts too: rename it).")
                } else if (systemNames.contains(token.text) || isFreeCall(token, in: declaration, of: systemCalls))
                            && !isModifier(token, in: declaration) {
                    messages.append("\(exercise.number) uses `\(token.text)` (\(place)): exercise code must not reach files, processes, the environment or the test harness.")
                }
            }
        }
        return Array(Set(messages)).sorted()
    }

    /// The code of each exercise's answer: the top-level declarations its API reaches by name
    /// (its functions, the helpers they call, the types they use), each as its file's path and
    /// its tokens, in file order, by exercise number. The files are read once for all the
    /// exercises. The grader's similarity report compares these between students.
    public static func answerDeclarations(of exercises: [Exercise], in files: [File]) -> [String: [(path: String, tokens: [SwiftToken])]] {
        let declarations = files.flatMap { file in Declaration.split(swiftTokens(file.source), path: file.path) }
        var result: [String: [(path: String, tokens: [SwiftToken])]] = [:]
        for exercise in exercises {
            let indices = reached(from: Set(exercise.api), in: declarations).map(\.index).sorted()
            result[exercise.number] = indices.map { (declarations[$0].path, declarations[$0].tokens) }
        }
        return result
    }

    /// Rules 3 and 4, which concern the whole chapter.
    static func publicAndAttributeViolations(_ declarations: [Declaration], api: Set<String>) -> [String] {
        var messages: [String] = []
        let localTypes = Set(declarations.filter(\.isType).compactMap(\.primaryName))
        for declaration in declarations {
            let tokens = declaration.tokens
            for (index, token) in tokens.enumerated() {
                if token.kind == .attribute && (token.text.hasPrefix("@_") || token.text == "@testable") {
                    messages.append("\(declaration.path):\(token.line) uses `\(token.text)`, which exercise code may not use: it reaches around the rules the tests rely on.")
                }
                guard token.kind == .identifier, ["public", "open", "package"].contains(token.text),
                      isModifier(token, in: declaration) else { continue }
                let name = declaredName(after: index, in: tokens) ?? "?"
                let depth = declaration.depths[index]
                let allowed = depth == 0
                    ? api.contains(name) && !(declaration.keyword == "extension" && !localTypes.contains(name) && !api.contains(name))
                    : declaration.isType || (declaration.keyword == "extension" && declaration.primaryName.map { api.contains($0) || localTypes.contains($0) } == true)
                if !allowed {
                    messages.append("\(declaration.path):\(token.line) makes `\(name)` \(token.text): only the exercise functions and types may be \(token.text), because a \(token.text) name can change what the tests call. Remove `\(token.text)`.")
                }
            }
        }
        return messages
    }

    /// The declarations reached by name from the roots (their indices), each with the chain of
    /// names that led there (empty for a root itself).
    static func reached(from roots: Set<String>, in declarations: [Declaration]) -> [(index: Int, via: [String])] {
        var result: [(index: Int, via: [String])] = []
        var seen = Set<Int>()
        var queue = declarations.indices.filter { !declarations[$0].names.isDisjoint(with: roots) }.map { ($0, [String]()) }
        seen.formUnion(queue.map(\.0))
        while !queue.isEmpty {
            let (index, via) = queue.removeFirst()
            result.append((index, via))
            // Names, and operators (a `prefix func ~~~` is reached where `~~~` is used).
            let used = Set(declarations[index].tokens.filter { $0.kind == .identifier || $0.kind == .punctuation }.map(\.text))
            for (other, declaration) in declarations.enumerated() where !seen.contains(other) {
                if let name = declaration.names.intersection(used).sorted().first {
                    seen.insert(other)
                    queue.append((other, via + [name]))
                }
            }
        }
        return result
    }

    static let declarationKeywords: Set<String> = [
        "func", "var", "let", "struct", "class", "enum", "actor", "protocol", "typealias", "extension",
        "init", "subscript", "operator", "precedencegroup", "case", "macro", "import",
    ]
    static let modifiers: Set<String> = [
        "public", "open", "package", "internal", "private", "fileprivate", "static", "final", "override",
        "mutating", "nonmutating", "lazy", "weak", "unowned", "indirect", "convenience", "required",
        "dynamic", "nonisolated", "isolated", "prefix", "postfix", "infix", "consuming", "borrowing",
    ]

    /// Whether an access word is used as a modifier (`open func`) rather than as a name
    /// (`open(path, flags)`).
    static func isModifier(_ token: SwiftToken, in declaration: Declaration) -> Bool {
        guard let index = declaration.tokens.firstIndex(where: { $0 == token }),
              index + 1 < declaration.tokens.count else { return false }
        var next = declaration.tokens[index + 1]
        if next.text == "(", index + 4 < declaration.tokens.count { next = declaration.tokens[index + 4] }   // public(set) var
        return declarationKeywords.contains(next.text) || modifiers.contains(next.text) || next.kind == .attribute
    }

    /// Whether a token is one of `names` called as a free function: followed by `(`, and not a
    /// member (`x.open(`) or a declaration (`func open(`).
    static func isFreeCall(_ token: SwiftToken, in declaration: Declaration, of names: Set<String>) -> Bool {
        guard names.contains(token.text), let index = declaration.tokens.firstIndex(where: { $0 == token }),
              index + 1 < declaration.tokens.count, declaration.tokens[index + 1].text == "(" else { return false }
        let before = index > 0 ? declaration.tokens[index - 1].text : ""
        if before == "." {   // Glibc.write( is the C call; handle.write( is a method
            return index > 1 && cLibraryModules.contains(declaration.tokens[index - 2].text)
        }
        return before != "func"
    }

    /// The name a declaration introduces, reading past modifiers from `index`.
    static func declaredName(after index: Int, in tokens: [SwiftToken]) -> String? {
        var i = index
        while i < tokens.count, !declarationKeywords.contains(tokens[i].text) || tokens[i].kind != .identifier { i += 1 }
        guard i + 1 < tokens.count else { return nil }
        if tokens[i].text == "init" || tokens[i].text == "subscript" { return tokens[i].text }
        return tokens[i + 1].text
    }
}

/// A top-level declaration of an exercise file: its tokens and the names it introduces,
/// including the names of its members (so `x.helper()` reaches the type that declares `helper`).
struct Declaration {
    let path: String
    let keyword: String
    let tokens: [SwiftToken]
    /// The brace depth of each token, 0 at the top level.
    let depths: [Int]
    let names: Set<String>

    var primaryName: String? { SourceRules.declaredName(after: 0, in: tokens) }
    var isType: Bool { ["struct", "class", "enum", "actor", "protocol"].contains(keyword) }

    /// Cuts a file's tokens into top-level declarations. A declaration starts at its keyword
    /// at brace depth 0, together with the modifiers and attributes just before it.
    static func split(_ tokens: [SwiftToken], path: String) -> [Declaration] {
        var starts: [(index: Int, keyword: String)] = []
        var depth = 0
        var depths: [Int] = []
        for (index, token) in tokens.enumerated() {
            if token.text == "}" { depth = max(0, depth - 1) }
            depths.append(depth)
            if token.text == "{" { depth += 1 }
            guard depth == 0, token.kind == .identifier, SourceRules.declarationKeywords.contains(token.text),
                  !(index > 0 && tokens[index - 1].text == ".") else { continue }
            var start = index
            let floor = starts.last.map { $0.index + 1 } ?? 0
            while start > floor {
                let before = tokens[start - 1]
                if SourceRules.modifiers.contains(before.text) || before.kind == .attribute {
                    start -= 1
                } else if before.text == ")", let open = tokens[floor..<(start - 1)].lastIndex(where: { $0.text == "(" }),
                          open > floor, tokens[open - 1].kind == .attribute {
                    start = open - 1   // an attribute with arguments: @available(*, deprecated)
                } else {
                    break
                }
            }
            starts.append((starts.isEmpty ? 0 : start, token.text))
        }
        return starts.enumerated().map { number, piece in
            let end = number + 1 < starts.count ? starts[number + 1].index : tokens.count
            let slice = Array(tokens[piece.index..<end])
            let sliceDepths = Array(depths[piece.index..<end])
            var names = Set<String>()
            let isContainer = ["struct", "class", "enum", "actor", "protocol", "extension"].contains(piece.keyword)
            for (i, token) in slice.enumerated() where token.kind == .identifier && i + 1 < slice.count
                && SourceRules.declarationKeywords.contains(token.text) && !(i > 0 && slice[i - 1].text == ".")
                && (sliceDepths[i] == 0 || (isContainer && sliceDepths[i] == 1)) {
                if token.text == "extension" || token.text == "import" { continue }
                if token.text == "init" || token.text == "subscript" { continue }
                if ["let", "var", "case"].contains(token.text) && slice[i + 1].text == "(" {
                    var j = i + 2
                    while j < slice.count, slice[j].text != ")" {
                        if slice[j].kind == .identifier { names.insert(slice[j].text) }
                        j += 1
                    }
                } else {
                    names.insert(slice[i + 1].text)
                }
            }
            if piece.keyword == "extension", let extended = SourceRules.declaredName(after: 0, in: slice) {
                names.insert(extended)
            }
            return Declaration(path: path, keyword: piece.keyword, tokens: slice, depths: sliceDepths, names: names)
        }
    }
}
