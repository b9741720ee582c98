import Foundation
import ScalarAutodiff
import Tensors
import Testing

/// The fast matmul kernels against the three-loop reference, on sizes that hit every edge: fewer
/// rows than a register tile, columns that do not fill a vector, depths longer than one block,
/// more columns than one panel, and empty matrices. Every kernel variant this CPU can run is
/// checked (portable always; AVX2 and AVX-512 where the CPU has them), whatever `BOOK_KERNEL`
/// says.
@Suite("Chapter 2: fast matmul equals reference matmul")
struct Chapter2MatmulKernelTests {
    static let sizes = [
        (1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 9, 17), (8, 300, 9), (13, 2, 31), (37, 64, 65), (64, 257, 33),
        (5, 7, 300), (6, 130, 270), (0, 3, 4), (3, 0, 4), (2, 40, 70), (9, 33, 100),
    ]

    /// C = A·B by one kernel variant, with A and B given as stored (transposed or not).
    static func product(_ a: Tensor, _ b: Tensor, m: Int, k: Int, n: Int, transposeA: Bool = false,
                        transposeB: Bool = false, variant: MatmulKernel.Variant, threads: Int = 1) -> [Float] {
        var c = [Float](repeating: .nan, count: m * n)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer {
                    MatmulKernel.fastMatmul(pa, pb, $0, m: m, k: k, n: n, transposeA: transposeA,
                                            transposeB: transposeB, variant: variant, threads: threads)
                }
            }
        }
        return c
    }

    @Test("Every kernel variant this CPU supports matches referenceMatmul", arguments: sizes)
    func fastEqualsReference(_ size: (Int, Int, Int)) {
        let (m, k, n) = size
        var rng = SeededRandom(seed: UInt64(m * 1000 + k * 10 + n))
        let a = Tensor.randomNormal([m, k], rng: &rng), b = Tensor.randomNormal([k, n], rng: &rng)
        var slow = [Float](repeating: .nan, count: m * n)
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                slow.withUnsafeMutableBufferPointer { MatmulKernel.referenceMatmul(pa, pb, $0, m: m, k: k, n: n) }
            }
        }
        // Sums of k products of N(0,1) numbers, added in a different order: allow k·ε relative.
        let tolerance = Float(k) * 1e-6 + 1e-5
        let at = a.transposed(), bt = b.transposed()
        for variant in MatmulKernel.Variant.supportedVariants {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                let c = Self.product(transposeA ? at : a, transposeB ? bt : b, m: m, k: k, n: n,
                                     transposeA: transposeA, transposeB: transposeB, variant: variant)
                let error = zip(c, slow).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
                #expect(error <= tolerance,
                        "\(variant) kernel, \(m)×\(k)×\(n), transposeA = \(transposeA), transposeB = \(transposeB): differs from the reference by \(error) (tolerance \(tolerance))")
            }
        }
        #expect(a.matmul(b).scalars == Self.product(a, b, m: m, k: k, n: n, variant: .selected),
                "Tensor.matmul should use the selected kernel (\(MatmulKernel.Variant.selected))")
    }

    @Test("Splitting a product across threads changes no bit of it, by rows or by columns")
    func threadsDoNotChangeResults() {
        // Each has more than 2²³ multiply-adds, enough for two threads. 200 × 220 × 200 is split
        // by rows; 5 × 1700 × 1000 (fewer rows than two tiles) by columns.
        for (m, k, n) in [(200, 220, 200), (5, 1700, 1000), (67, 400, 330)] {
            var rng = SeededRandom(seed: UInt64(m + k + n))
            let a = Tensor.randomNormal([m, k], rng: &rng), b = Tensor.randomNormal([k, n], rng: &rng)
            for variant in MatmulKernel.Variant.supportedVariants {
                let one = Self.product(a, b, m: m, k: k, n: n, variant: variant, threads: 1)
                for threads in [2, 3] {
                    let many = Self.product(a, b, m: m, k: k, n: n, variant: variant, threads: threads)
                    #expect(many == one, "\(variant) kernel, \(m)×\(k)×\(n): \(threads) threads differ from one thread")
                }
            }
        }
    }

    @Test("Kernels that fuse multiply and add give the same bits as each other (AVX2, AVX-512)")
    func fusedKernelsAgreeExactly() {
        let fused = MatmulKernel.Variant.supportedVariants.filter(\.fusesMultiplyAdd)
        for (m, k, n) in [(37, 300, 65), (130, 130, 130), (3, 40, 70), (64, 257, 33)] {
            var rng = SeededRandom(seed: UInt64(7 * m + k + n))
            let a = Tensor.randomNormal([m, k], rng: &rng), b = Tensor.randomNormal([k, n], rng: &rng)
            let results = fused.map { Self.product(a, b, m: m, k: k, n: n, variant: $0) }
            for (variant, result) in zip(fused, results).dropFirst() {
                #expect(result == results[0], "\(m)×\(k)×\(n): the \(variant) kernel differs from the \(fused[0]) kernel")
            }
        }
    }

    @Test("A row of A gives the same row of C alone as inside a batch, on every variant")
    func rowsAreIndependentOfTheBatch() {
        var rng = SeededRandom(seed: 44)
        let (m, k, n) = (11, 300, 45)
        let a = Tensor.randomNormal([m, k], rng: &rng), b = Tensor.randomNormal([k, n], rng: &rng)
        for variant in MatmulKernel.Variant.supportedVariants {
            let whole = Self.product(a, b, m: m, k: k, n: n, variant: variant)
            for i in [0, 5, 10] {
                let row = Tensor(shape: [1, k], scalars: Array(a.scalars[(i * k)..<((i + 1) * k)]))
                let alone = Self.product(row, b, m: 1, k: k, n: n, variant: variant)
                #expect(alone == Array(whole[(i * n)..<((i + 1) * n)]),
                        "\(variant) kernel: row \(i) computed alone differs from the same row in a batch of \(m)")
            }
        }
    }

    @Test("A batched product, shared out among threads, equals its matrices one by one")
    func batchedProductEqualsEachMatrix() {
        // 256 products of 32 × 32 × 32: each too small to split, so the batch is split instead.
        var rng = SeededRandom(seed: 45)
        let a = Tensor.randomNormal([256, 32, 32], rng: &rng), b = Tensor.randomNormal([256, 32, 32], rng: &rng)
        let batched = a.matmul(b)
        for index in [0, 127, 255] {
            let ai = Tensor(shape: [32, 32], scalars: Array(a.scalars[(index * 1024)..<((index + 1) * 1024)]))
            let bi = Tensor(shape: [32, 32], scalars: Array(b.scalars[(index * 1024)..<((index + 1) * 1024)]))
            #expect(Array(batched.scalars[(index * 1024)..<((index + 1) * 1024)]) == ai.matmul(bi).scalars,
                    "matrix \(index) of the batch differs from the same product on its own")
        }
    }
}

/// How the CPU check decides which kernels may run: every feature the compiler may use at a
/// level must be listed for every processor, or the level is not used.
@Suite("Chapter 2: kernel variants run only on CPUs that have their instructions")
struct Chapter2KernelDispatchTests {
    /// The flags line of a /proc/cpuinfo file for one processor.
    static func processor(_ index: Int, _ flags: [String]) -> String {
        "processor\t: \(index)\nmodel name\t: test\nflags\t\t: \(flags.joined(separator: " "))\n\n"
    }

    static let v3 = MatmulKernel.Variant.avx2.requiredLinuxFlags
    static let v4 = MatmulKernel.Variant.avx512.requiredLinuxFlags

    @Test("The required flags are x86-64-v3's (and v4's) under Linux's names")
    func requiredFlags() {
        for flag in ["avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm", "xsave"] {
            #expect(Self.v3.contains(flag), "x86-64-v3 allows the compiler to use \(flag); the AVX2 kernel must require it")
        }
        #expect(Set(Self.v4).subtracting(Self.v3) == ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"])
        #expect(MatmulKernel.Variant.portable.requiredLinuxFlags.isEmpty)
    }

    @Test("A CPU missing any one feature of a level does not get that level's kernel")
    func anyMissingFlagRefusesTheLevel() throws {
        let all = Set(Self.v4 + ["sse4a", "avx512_vnni"])
        let text = Self.processor(0, Array(all)) + Self.processor(1, Array(all))
        let flags = try #require(MatmulKernel.Variant.cpuInfoFlags(text))
        #expect(MatmulKernel.Variant.avx2.missingFeatures(linuxFlags: flags).isEmpty)
        #expect(MatmulKernel.Variant.avx512.missingFeatures(linuxFlags: flags).isEmpty)
        for flag in Self.v3 {
            let without = flags.subtracting([flag])
            #expect(MatmulKernel.Variant.avx2.missingFeatures(linuxFlags: without) == [flag])
            #expect(MatmulKernel.Variant.avx512.missingFeatures(linuxFlags: without) == [flag])
        }
        let noVL = flags.subtracting(["avx512vl"])
        #expect(MatmulKernel.Variant.avx2.missingFeatures(linuxFlags: noVL).isEmpty)
        #expect(MatmulKernel.Variant.avx512.missingFeatures(linuxFlags: noVL) == ["avx512vl"])
    }

    @Test("Processors that differ: only the flags every one of them lists count")
    func processorsAreIntersected() throws {
        let text = Self.processor(0, Self.v4) + Self.processor(1, Self.v3)
        let flags = try #require(MatmulKernel.Variant.cpuInfoFlags(text))
        #expect(MatmulKernel.Variant.avx2.missingFeatures(linuxFlags: flags).isEmpty)
        #expect(!MatmulKernel.Variant.avx512.missingFeatures(linuxFlags: flags).isEmpty)
        #expect(MatmulKernel.Variant.cpuInfoFlags("processor\t: 0\n") == nil)
    }

    @Test("This machine: portable always runs, and every supported level has all its flags")
    func thisMachine() throws {
        let supported = MatmulKernel.Variant.supportedVariants
        #expect(supported.first == .portable)
        #expect(supported.contains(MatmulKernel.Variant.selected))
        #if os(Linux) && arch(x86_64)
        let text = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = try #require(MatmulKernel.Variant.cpuInfoFlags(text))
        for variant in MatmulKernel.Variant.allCases {
            #expect(supported.contains(variant) == variant.missingFeatures(linuxFlags: flags).isEmpty,
                    "\(variant): supported = \(supported.contains(variant)), but /proc/cpuinfo lacks \(variant.missingFeatures(linuxFlags: flags))")
        }
        #elseif !arch(x86_64)
        #expect(supported == [.portable])
        #endif
    }

    /// The child's standard error as text.
    func standardError(_ result: ExitTest.Result?) -> String {
        String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    }

    @Test("BOOK_KERNEL naming no kernel stops with a message that lists the kernels")
    func unknownKernelName() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            setenv("BOOK_KERNEL", "avx9", 1)
            _ = MatmulKernel.Variant.selected
        }
        let message = standardError(result)
        #expect(message.contains("BOOK_KERNEL=avx9 is not a kernel; use one of portable, avx2, avx512, or unset it"),
                "got: \(message)")
    }

    @Test("BOOK_THREADS that is not a positive number stops with a message")
    func badThreadCount() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            setenv("BOOK_THREADS", "0", 1)
            _ = Parallelism.defaultThreads
        }
        let message = standardError(result)
        #expect(message.contains("BOOK_THREADS=0 is not a positive whole number"), "got: \(message)")
    }

    @Test("A kernel this CPU cannot run is refused with the missing features named, never run",
          .enabled(if: MatmulKernel.Variant.allCases.contains { !$0.isSupported }, "this CPU runs every variant"))
    func unsupportedVariantIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let variant = MatmulKernel.Variant.allCases.first { !$0.isSupported }!
            var c: [Float] = [0]
            [Float(1)].withUnsafeBufferPointer { a in
                c.withUnsafeMutableBufferPointer { MatmulKernel.fastMatmul(a, a, $0, m: 1, k: 1, n: 1, variant: variant) }
            }
        }
        let message = standardError(result)
        #expect(message.contains("kernel needs CPU features this computer lacks"), "got: \(message)")
    }
}
