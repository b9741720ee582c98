import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Closes the test process to the checks' children, which run student code: they must not
/// reach the pipe the grader reads results from.
///
/// The grader hands the test process the pipe's write end as a numbered descriptor
/// (`--event-stream-output-path /dev/fd/N`). A child could reach it two ways, and this closes
/// both, once, before the first child starts (Linux; nothing elsewhere):
/// - inherit it: every descriptor the test process holds is marked close-on-exec (Swift
///   Testing hands on what a child needs explicitly, which clears the mark for those);
/// - open `/proc/<parent>/fd/N`: the test process makes itself non-dumpable
///   (`PR_SET_DUMPABLE` 0), so its `/proc` entries belong to root and another process of the
///   same user may neither open its descriptors nor attach to it. (Root may, so the grader
///   runs student code as an unprivileged user when it is root.)
enum TestProcessGuard {
    static func arm() { _ = armed }

    private static let armed: Void = {
        #if os(Linux)
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        let setDumpable: Int32 = 4   // PR_SET_DUMPABLE
        if let prctl = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl").map({ unsafeBitCast($0, to: Prctl.self) }) {
            _ = prctl(setDumpable, 0, 0, 0, 0)
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in descriptors.compactMap(Int32.init) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
        #endif
    }()
}
