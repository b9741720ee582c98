/// Choosing the matmul kernel at run time: the processor's full vector width, from a build that
/// runs everywhere.
///
/// The package is compiled for the baseline of each architecture, so the same build runs on any
/// x86-64 or arm64 machine. On x86-64 that baseline is SSE2: four Floats per register and no
/// fused multiply-add. Most x86-64 processors in use can do far more, so the matmul kernel also
/// exists compiled for two higher levels of the x86-64 psABI, each in its own small module
/// (Package.swift compiles each with `-Xcc -march=<level>`):
///
///     portable   this module's kernel, baseline instructions only (NEON with FMA on arm64)
///     avx2       KernelsAVX2, x86-64-v3: AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE
///     avx512     KernelsAVX512, x86-64-v4: x86-64-v3 plus AVX-512 F, BW, CD, DQ, VL
///
/// This is run-time dispatch, as OpenBLAS (`DYNAMIC_ARCH`), oneDNN and PyTorch do it: the CPU is
/// checked once, and every product then calls the best kernel the CPU can run. The environment
/// variable `BOOK_KERNEL` (portable, avx2 or avx512) chooses one instead, for tests and
/// comparisons.
///
/// How it is guaranteed that a kernel never runs on a CPU without its instructions:
/// 1. Only the kernel modules are compiled for a higher level, and they contain nothing but
///    the kernels: public functions, no types, no stored properties, nothing `@inlinable`, so
///    no code of theirs is copied into other modules or runs when the program starts.
///    `Tools/check-kernel-isolation.sh` checks the built objects: the kernel modules define no
///    shared (weak) code that the linker could pick in place of a baseline copy, and no other
///    module contains an AVX instruction.
/// 2. Those functions are called from one place, `MatmulKernel.tile` and `MatmulKernel.row`,
///    for a `Variant` that `fastMatmul` has checked is in `supportedVariants`.
/// 3. `supportedVariants` lists a level only if the CPU *and the operating system* support every
///    feature the compiler may use at that level: the exact list LLVM enables for
///    `-march=x86-64-v3` (or v4), read on Linux from the flags of /proc/cpuinfo, in which the
///    kernel clears AVX and AVX-512 when it does not save their registers; on macOS from
///    `sysctl` (`hw.optional.*`, which reflect the operating system's support, and
///    `machdep.cpu.*`), with AVX-512 only from Darwin 21.3 (macOS 12.2) on, as Go's runtime
///    does because earlier kernels corrupted the AVX-512 mask registers on signal return.
///    Anything else, or a file that cannot be read, means portable only.
///
/// Tools that emulate a CPU, such as valgrind, may not support everything /proc/cpuinfo lists
/// (valgrind 3.19 has no AVX-512): run them with `BOOK_KERNEL=avx2` or `portable`.

import Foundation
import ScalarAutodiff

extension MatmulKernel {
    /// A compiled version of the kernel, for one instruction-set level.
    public enum Variant: String, CaseIterable, Sendable, CustomStringConvertible {
        /// Baseline instructions: SSE2 on x86-64 (four Floats, no FMA), NEON with FMA on arm64.
        case portable
        /// x86-64-v3: AVX2 (eight Floats) with fused multiply-add.
        case avx2
        /// x86-64-v4: AVX-512 (sixteen Floats, 32 registers) with fused multiply-add.
        case avx512

        public var description: String { rawValue }

        /// Whether the kernel fuses each multiply and add into one rounding (AVX2, AVX-512, and
        /// the portable kernel on arm64) or rounds twice (the portable kernel on x86-64).
        ///
        /// Both orders of work are the same, so kernels that agree here give the same bits; the
        /// two families differ in the last bits of a product, and a seeded training run can
        /// drift apart over many steps. Tests that pin a trained number exactly ask this.
        public var fusesMultiplyAdd: Bool {
            #if arch(arm64)
            return true
            #else
            return self != .portable
            #endif
        }

        /// Rows and columns of C that one call of the register-blocked tile kernel computes.
        var tile: (rows: Int, columns: Int) {
            switch self {
            case .portable: (4, 8)
            case .avx2: (6, 16)
            case .avx512: (8, 32)
            }
        }

        /// The CPU features, as Linux's /proc/cpuinfo names them, that the compiler may use at this
        /// level: LLVM's feature list for `-march=x86-64-v3` (avx, avx2, bmi, bmi2, cmov, crc32,
        /// cx16, cx8, f16c, fma, fxsr, lzcnt, mmx, movbe, popcnt, sahf, sse…sse4.2, ssse3, xsave),
        /// plus avx512f, bw, cd, dq and vl for v4. (crc32 comes with sse4_2, lzcnt is "abm",
        /// sahf is "lahf_lm", sse3 is "pni".)
        public var requiredLinuxFlags: [String] {
            let v3 = ["avx", "avx2", "bmi1", "bmi2", "cmov", "cx16", "cx8", "f16c", "fma", "fxsr", "abm", "mmx",
                      "movbe", "popcnt", "lahf_lm", "sse", "sse2", "pni", "sse4_1", "sse4_2", "ssse3", "xsave"]
            switch self {
            case .portable: return []
            case .avx2: return v3
            case .avx512: return v3 + ["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]
            }
        }

        /// The variant named by `BOOK_KERNEL`, or the best one this CPU supports.
        public static let selected: Variant = {
            let supported = supportedVariants
            guard let name = ProcessInfo.processInfo.environment["BOOK_KERNEL"], !name.isEmpty else {
                return supported.last ?? .portable
            }
            guard let variant = Variant(rawValue: name) else {
                fatalError("BOOK_KERNEL=\(name) is not a kernel; use one of \(allCases.map(\.rawValue).joined(separator: ", ")), or unset it")
            }
            if !supported.contains(variant) {
                fatalError("BOOK_KERNEL=\(name) asks for a kernel this computer cannot run (missing: \(variant.missingFeatures.joined(separator: " "))); this CPU supports \(supported.map(\.rawValue).joined(separator: ", "))")
            }
            return variant
        }()

        /// The variants this CPU and operating system can run, from the slowest to the fastest;
        /// always at least `portable`. Worked out once.
        public static let supportedVariants: [Variant] = allCases.filter { $0.missingFeatures.isEmpty }

        /// Whether this CPU can run the variant.
        public var isSupported: Bool { Variant.supportedVariants.contains(self) }

        /// The features this variant needs that the CPU (or operating system) lacks; empty when
        /// it can run. On a build without the variant's module, a placeholder says so.
        var missingFeatures: [String] {
            if self == .portable { return [] }
            #if arch(x86_64) && os(Linux)
            guard let flags = CPUFeatures.linuxFlags else { return ["(/proc/cpuinfo unreadable)"] }
            return missingFeatures(linuxFlags: flags)
            #elseif arch(x86_64) && canImport(Darwin)
            return CPUFeatures.darwinMissing(self)
            #else
            return ["(an x86-64 kernel, and this is not an x86-64 build)"]
            #endif
        }

        /// The features this variant needs that a Linux machine whose /proc/cpuinfo lists
        /// `flags` lacks (see ``cpuInfoFlags(_:)``).
        public func missingFeatures(linuxFlags flags: Set<String>) -> [String] {
            requiredLinuxFlags.filter { !flags.contains($0) }
        }

        /// The flags that every processor in the text of a /proc/cpuinfo file lists (their
        /// intersection, in case the processors differ), or nil if it lists none.
        public static func cpuInfoFlags(_ text: String) -> Set<String>? {
            var common: Set<String>?
            for line in text.split(separator: "\n") where line.hasPrefix("flags") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let flags = Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
                common = common.map { $0.intersection(flags) } ?? flags
            }
            return common
        }
    }
}

/// What the operating system says about the CPU.
enum CPUFeatures {
    #if os(Linux)
    /// The flags every processor in /proc/cpuinfo lists (their intersection), or nil if the file
    /// cannot be read.
    static let linuxFlags: Set<String>? = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        return MatmulKernel.Variant.cpuInfoFlags(text)
    }()
    #endif

    #if arch(x86_64) && canImport(Darwin)
    /// The features `variant` needs that `sysctl` does not report. hw.optional.* keys are 1 only
    /// when the operating system supports the feature; the rest of the x86-64-v3 list (MOVBE,
    /// POPCNT, CX16, XSAVE, LZCNT, LAHF) is read from machdep.cpu.features and extfeatures. A
    /// key that this macOS does not know counts as missing, so a mistake here can only make the
    /// book fall back to the portable kernel. (Not yet run on an Intel Mac.)
    static func darwinMissing(_ variant: MatmulKernel.Variant) -> [String] {
        func enabled(_ key: String) -> Bool {
            var value: Int32 = 0
            var size = MemoryLayout<Int32>.size
            return sysctlbyname(key, &value, &size, nil, 0) == 0 && value == 1
        }
        func text(_ key: String) -> String {
            var size = 0
            guard sysctlbyname(key, nil, &size, nil, 0) == 0, size > 0 else { return "" }
            var bytes = [UInt8](repeating: 0, count: size)
            guard sysctlbyname(key, &bytes, &size, nil, 0) == 0 else { return "" }
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        func words(_ key: String) -> Set<String> { Set(text(key).split(separator: " ").map(String.init)) }
        let listed = words("machdep.cpu.features").union(words("machdep.cpu.extfeatures"))
        var missing = ["hw.optional.avx1_0", "hw.optional.avx2_0", "hw.optional.fma", "hw.optional.bmi1",
                       "hw.optional.bmi2", "hw.optional.f16c", "hw.optional.sse4_2", "hw.optional.supplementalsse3"]
            .filter { !enabled($0) }
        missing += ["MOVBE", "POPCNT", "CX16", "XSAVE", "OSXSAVE", "LZCNT", "LAHF"].filter { !listed.contains($0) }
        if variant == .avx512 {
            missing += ["hw.optional.avx512f", "hw.optional.avx512bw", "hw.optional.avx512cd",
                        "hw.optional.avx512dq", "hw.optional.avx512vl"].filter { !enabled($0) }
            let version = text("kern.osrelease").split(separator: ".").compactMap { Int($0) }
            if version.count < 2 || (version[0], version[1]) < (21, 3) { missing.append("Darwin 21.3 or later") }
        }
        return missing
    }
    #endif
}
