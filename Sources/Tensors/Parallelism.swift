/// Using every core for large matrix products, and a switch back to one.
///
/// A product is split across threads only when each thread gets at least 2²² multiply-adds
/// (about 80 µs of work on one core): waking a second thread and waiting for it costs tens of
/// microseconds, and on the benchmark machine a 128³ product (2²¹) or the autoencoder's
/// 64 × 784 × 128 (6.4 million) was no faster on two cores, while 256³ (2²⁴) took 60 % of its
/// one-thread time (`swift run -c release bench split` measures this). Each thread computes whole rows (or whole columns) of C, and
/// every element of C is computed by the same arithmetic in the same order however the work is
/// split, so results do not depend on the number of threads at all: they are bit for bit the
/// same with `BOOK_THREADS=1`.
///
/// The number of threads is `BOOK_THREADS` if set (1 for single-threaded runs), else the number
/// of cores the system reports. Programs may also set ``Parallelism/threads`` before they start
/// work, as the benchmark does to print one-thread and all-core rows.

import Dispatch
import Foundation
import ScalarAutodiff

public enum Parallelism {
    /// How many threads large products may use. Set it before starting work, from one thread.
    nonisolated(unsafe) public static var threads: Int = defaultThreads

    /// `BOOK_THREADS`, or the number of active cores.
    public static let defaultThreads: Int = {
        guard let text = ProcessInfo.processInfo.environment["BOOK_THREADS"], !text.isEmpty else {
            return Swift.max(1, ProcessInfo.processInfo.activeProcessorCount)
        }
        guard let n = Int(text), n >= 1 else {
            fatalError("BOOK_THREADS=\(text) is not a positive whole number; use 1 for one thread, or unset it to use every core")
        }
        return n
    }()

    /// The smallest amount of work, in multiply-adds, given to one thread.
    static let minimumWorkPerThread = 1 << 22

    /// How many parts to split `work` multiply-adds into, using at most `threads` threads.
    static func parts(work: Int, threads: Int) -> Int {
        Swift.max(1, Swift.min(threads, work / minimumWorkPerThread))
    }

    /// Runs `body(0)`, …, `body(parts − 1)`, on up to `parts` threads at once (the calling
    /// thread is one of them), and returns when all are done.
    ///
    /// The parts share raw pointers to the operands, which Swift cannot prove safe to send to
    /// another thread, hence `nonisolated(unsafe)`. It is safe here because every caller gives
    /// each part a different block of the output to write, the inputs are only read, and
    /// `concurrentPerform` returns only after every part has finished.
    static func run(parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) let part = body
            DispatchQueue.concurrentPerform(iterations: parts) { part($0) }
        }
    }

    /// `range` cut into `parts` consecutive pieces whose bounds (except the last) are multiples
    /// of `alignment` from the start, as equal as that allows.
    static func split(_ range: Range<Int>, parts: Int, alignment: Int) -> [Range<Int>] {
        let units = (range.count + alignment - 1) / alignment
        var pieces: [Range<Int>] = []
        var start = range.lowerBound
        for part in 0..<parts {
            let end = Swift.min(range.upperBound, range.lowerBound + units * (part + 1) / parts * alignment)
            if end > start { pieces.append(start..<end) }
            start = Swift.max(start, end)
        }
        return pieces
    }
}
