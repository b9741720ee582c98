import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches a trap in the child that runs an exercise's check, and leaves the parent a report:
/// a marker line, then one line per stack frame (the object file and the address within it).
/// The child then exits normally, so that the parent's exit test reads the report instead of
/// recording a bare "exited with signal 4".
enum CrashReporter {
    /// Traps and faults, and the two limits a grader may set: file size and CPU time.
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGXFSZ, SIGXCPU]

    typealias BacktraceFunction = @convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>?, Int32) -> Int32
    typealias DladdrFunction = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32

    /// `Dl_info`, which Swift's C library module does not import on Linux.
    struct SymbolInfo {
        var fileName: UnsafePointer<CChar>? = nil
        var fileBase: UnsafeMutableRawPointer? = nil
        var symbolName: UnsafePointer<CChar>? = nil
        var symbolAddress: UnsafeMutableRawPointer? = nil
    }

    nonisolated(unsafe) static var backtrace: BacktraceFunction?
    nonisolated(unsafe) static var dladdr: DladdrFunction?

    /// Installs the handlers, on an alternate stack so that a stack overflow is reported too.
    static func arm() {
        let library = dlopen(nil, RTLD_NOW)
        backtrace = dlsym(library, "backtrace").map { unsafeBitCast($0, to: BacktraceFunction.self) }
        dladdr = dlsym(library, "dladdr").map { unsafeBitCast($0, to: DladdrFunction.self) }
        // The first backtrace loads the unwinder; do it now rather than in the handler.
        var warmUp = [UnsafeMutableRawPointer?](repeating: nil, count: 4)
        _ = backtrace?(&warmUp, 4)

        let size = 256 * 1024
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)

        for signal in signals {
            var action = sigaction.init()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_sigaction = { signal, _, _ in CrashReporter.report(signal: signal) }
            #else
            action.__sigaction_u.__sa_sigaction = { signal, _, _ in CrashReporter.report(signal: signal) }
            #endif
            action.sa_flags = SA_SIGINFO | SA_ONSTACK
            sigaction(signal, &action, nil)
        }
        // The test harness may start this child with signals blocked; a blocked SIGXFSZ would
        // turn a file that hit the size limit into a silent endless loop.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signal in signals { sigaddset(&handled, signal) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
    }

    /// Writes the report and exits. Runs in the signal handler of a dying process.
    static func report(signal: Int32) {
        fflush(nil)
        ChildOutput.writeMarker("crash \(signal)")
        var frames = [UnsafeMutableRawPointer?](repeating: nil, count: 64)
        let count = backtrace?(&frames, 64) ?? 0
        for frame in frames.prefix(Int(count)) {
            var info = SymbolInfo()
            guard let frame, withUnsafeMutablePointer(to: &info, { dladdr?(frame, UnsafeMutableRawPointer($0)) ?? 0 }) != 0,
                  let file = info.fileName, let base = info.fileBase else { continue }
            let offset = UInt(bitPattern: frame) &- UInt(bitPattern: base)
            ChildOutput.writeMarker("frame \(String(offset, radix: 16)) \(String(cString: file))")
        }
        _exit(0)
    }
}

/// What a check's child printed, split into the book's markers and the student's own output.
struct ChildOutput {
    static let prefix = "@@book "

    /// Writes one marker line to standard error, unbuffered.
    static func writeMarker(_ text: String) {
        let line = "\n" + prefix + text + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    let markers: [String]
    let studentLines: [String]
    let errorLines: [String]

    init(standardOutput: [UInt8], standardError: [UInt8]) {
        let out = String(decoding: standardOutput, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let err = String(decoding: standardError, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        markers = err.filter { $0.hasPrefix(Self.prefix) }.map { String($0.dropFirst(Self.prefix.count)) }
        errorLines = err.filter { !$0.hasPrefix(Self.prefix) }
        var lines = out
        // The runtime's own crash text is reported in one line instead.
        let crashed = markers.contains { $0.hasPrefix("crash ") }
        lines += errorLines.filter { line in
            !(crashed && (line.contains("Fatal error") || line.hasPrefix("Current stack trace:") || line.range(of: #"^\d+\s+\S+\s+0x[0-9a-f]+ "#, options: .regularExpression) != nil))
        }
        // Swift Testing marks the start and the end of a child's output with 32 bytes that are
        // not text, and cuts them off; a child that stops in its crash handler writes only the
        // first, and when nothing else was printed it is left in (it would show as garbage).
        lines.removeAll { $0.contains("\u{FFFD}") }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        studentLines = lines
    }

    /// What the answer printed itself.
    var studentText: String { studentLines.joined(separator: "\n") }

    /// The marker a check's child writes when its check has run to the end (`runExercise`).
    static let finishedMarker = "finished"

    /// Whether the check ran to its end.
    var finished: Bool { markers.contains(Self.finishedMarker) }

    /// The crash or timeout, in one line, or nil when the check ended by itself.
    func problem(exercise number: String) -> String? {
        if let timeout = markers.first(where: { $0.hasPrefix("timeout ") }) {
            let seconds = timeout.dropFirst("timeout ".count)
            return "\(number) timed out: its check was stopped after \(seconds) s. Is there a loop that never ends? (BOOK_EXERCISE_TIMEOUT=S sets the limit.)"
        }
        guard let crash = markers.first(where: { $0.hasPrefix("crash ") }), let signal = Int32(crash.dropFirst("crash ".count)) else {
            return nil
        }
        let chapter = Int(number.split(separator: ".").first ?? "") ?? 0
        let folder = ExerciseFolder.chapterFolder(chapter).path + "/"
        let symbolized = Symbolizer.locations(frames: markers.filter { $0.hasPrefix("frame ") })
        let fatal = errorLines.last { $0.contains("Fatal error: ") }
        let marker = "Swift runtime failure: "
        let runtimeFailure = symbolized.first { $0.function.hasPrefix(marker) }.map { String($0.function.dropFirst(marker.count)) }
        var reason = fatal.map { String($0[$0.range(of: "Fatal error: ")!.upperBound...]) }
            ?? runtimeFailure
            ?? Self.describe(signal: signal)
        if reason.isEmpty { reason = Self.describe(signal: signal) }
        // The innermost frame in the student's files with a line (line 0 marks code the
        // compiler made, such as the trap of a force unwrap, with no line of its own).
        var place = symbolized.first { $0.file.hasPrefix(folder) && $0.line > 0 }.map { "\(Self.relative($0.file)):\($0.line)" }
            ?? symbolized.first { $0.file.hasPrefix(folder) }.map { Self.relative($0.file) }
        if place == nil, let fatal, let range = fatal.range(of: ": Fatal error: ") {
            let location = String(fatal[..<range.lowerBound])
            if location.contains("Chapter\(chapter)/") { place = location }
        }
        return "\(number) crashed: \(reason)" + (place.map { " at \($0)" } ?? "")
    }

    /// A path inside the book, from its top: `Exercises/Chapter8/Exercises.swift`.
    static func relative(_ path: String) -> String {
        let root = ExerciseFolder.root.path + "/"
        return path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path
    }

    static func describe(signal: Int32) -> String {
        switch signal {
        case SIGSEGV, SIGBUS: "a memory fault, often a stack overflow from recursion that goes too deep"
        case SIGFPE: "an arithmetic fault (an integer division by zero?)"
        case SIGABRT: "the program aborted"
        case SIGXFSZ: "it wrote a file larger than the grader's file-size limit"
        case SIGXCPU: "it used up the grader's limit on CPU time"
        default: "a runtime trap: an arithmetic overflow, an index out of range, or unwrapping nil"
        }
    }
}

/// Turns a frame's object file and address into a function, a file and a line, with the
/// toolchain's `llvm-symbolizer` when it can be found (it ships with Swift on Linux).
enum Symbolizer {
    struct Location {
        let function: String
        let file: String
        let line: Int
    }

    /// The locations of the frames, innermost first, inlined frames included. Empty when no
    /// symbolizer is available. Each frame is looked up at its address and one byte before
    /// (a return address points past its call; a trap's address is the trap itself, which is
    /// where `Swift runtime failure: …` shows).
    static func locations(frames: [String]) -> [Location] {
        guard let tool = toolPath else { return [] }
        var byObject: [(object: String, addresses: [UInt])] = []
        for line in frames {
            let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard parts.count == 3, let offset = UInt(parts[1], radix: 16), offset > 0,
                  !parts[2].contains(".so") else { continue }
            if let last = byObject.last, last.object == parts[2] {
                byObject[byObject.count - 1].addresses += [offset, offset - 1]
            } else {
                byObject.append((parts[2], [offset, offset - 1]))
            }
        }
        return byObject.flatMap { symbolize(tool: tool, object: $0.object, addresses: $0.addresses) }
    }

    static func symbolize(tool: String, object: String, addresses: [UInt]) -> [Location] {
        let arguments = [tool, "--obj=\(object)", "--demangle", "--inlines"] + addresses.map { "0x" + String($0, radix: 16) }
        guard let data = run(arguments) else { return [] }
        var result: [Location] = []
        for block in String(decoding: data, as: UTF8.self).components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map(String.init)
            var index = 0
            while index + 1 < lines.count {
                let place = lines[index + 1].split(separator: ":").map(String.init)
                let line = place.count >= 2 ? Int(place[1]) ?? 0 : 0
                result.append(Location(function: lines[index], file: place.first ?? "", line: line))
                index += 2
            }
        }
        return result
    }

    /// Runs a program and returns what it printed on standard output, or nil if it could not
    /// start. (Not with Foundation's `Process`, whose wait needs a loopback socket: in the
    /// network namespace the grader runs tests in, it waited for ever, and the whole test
    /// process with it.)
    static func run(_ arguments: [String]) -> [UInt8]? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        defer { close(ends[0]) }
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, ends[0])
        posix_spawn_file_actions_addclose(&actions, ends[1])
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        close(ends[1])
        guard spawned == 0 else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = read(ends[0], &buffer, buffer.count)
            if count > 0 { output += buffer[0..<count] } else if count < 0 && errno == EINTR { continue } else { break }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return output
    }

    /// `llvm-symbolizer` beside `swift` on the PATH, or anywhere on the PATH.
    static let toolPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        var folders: [String] = []
        for folder in path.split(separator: ":").map(String.init) {
            let swift = folder + "/swift"
            if FileManager.default.fileExists(atPath: swift) {
                folders.append(URL(fileURLWithPath: swift).resolvingSymlinksInPath().deletingLastPathComponent().path)
            }
        }
        folders += path.split(separator: ":").map(String.init)
        return folders.map { $0 + "/llvm-symbolizer" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
}
