import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of every file in the sandbox (the package and its build folder) just before a
/// student's tests run, to compare with the state just after: anything a test process changed,
/// added or removed is found, source files and build products alike (an overwritten
/// `ExerciseTests.swift`, a replaced test binary, a planted object file).
///
/// Each file is known by its inode, size, mode, modification time and change time (`ctime`),
/// and the package's source files (up to 256 KB) also by a hash of their contents. A process
/// can set a file's modification time back (`utimensat`), but not its change time: the kernel
/// sets that to the current time on every write, rename, chmod or change of times, and only a
/// process that can change the system clock could hide a change from it. So a file whose five
/// stamps are equal was not touched.
///
/// ```swift
/// let seal = SandboxSeal(sandbox)
/// runTests()
/// let changed = SandboxSeal(sandbox).changes(since: seal)   // [] when nothing was touched
/// ```
public struct SandboxSeal: Equatable, Sendable {
    public struct Stamp: Equatable, Sendable {
        let inode: UInt64
        let size: Int64
        let mode: UInt32
        let modified: Int64
        let changed: Int64
        /// A hash of the contents, for the package's files (0 for build products).
        let hash: UInt64
    }

    /// Every file, folder and link, by its path inside the sandbox's work folder
    /// (`package/Tests/…`, `build/debug/…`).
    public let files: [String: Stamp]

    /// Reads the package and the build folder of a sandbox. (Off Linux, the tests run through
    /// `swift test --skip-build`, which keeps its own records in the build folder and may add
    /// hidden folders to the package: there only the package's visible files are read.)
    public init(_ sandbox: Sandbox) {
        var files: [String: Stamp] = [:]
        Self.read(sandbox.package, as: "package", hashing: true, into: &files)
        #if os(Linux)
        Self.read(sandbox.scratch, as: "build", hashing: false, into: &files)
        #else
        files = files.filter { !$0.key.dropFirst("package/".count).hasPrefix(".") }
        #endif
        self.files = files
    }

    /// Waits until the kernel's clock for file times has moved past every change time in the
    /// seal, writing `probe` (a file outside the sandbox) to read it. The kernel stamps files
    /// from a coarse clock (a few milliseconds), so without this a write in the same tick as a
    /// file's last change could leave its change time equal.
    public func waitForLaterFileTimes(probe: URL) {
        let latest = files.values.map(\.changed).max() ?? 0
        for _ in 0..<1_000 {
            try? Data().write(to: probe)
            var info = stat()
            if lstat(probe.path, &info) == 0, Self.nanoseconds(changeOf: info) > latest { break }
            usleep(1_000)
        }
        try? FileManager.default.removeItem(at: probe)
    }

    /// The paths that differ between two seals (changed, added or removed), sorted.
    public func changes(since earlier: SandboxSeal) -> [String] {
        Set(files.keys).union(earlier.files.keys).filter { files[$0] != earlier.files[$0] }.sorted()
    }

    /// Adds the stamps of everything under `folder` (links are not followed).
    static func read(_ folder: URL, as name: String, hashing: Bool, into files: inout [String: Stamp]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for entry in names.sorted() {
            let url = folder.appendingPathComponent(entry)
            let path = name + "/" + entry
            var info = stat()
            guard lstat(url.path, &info) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            // Source files are small, and hashing them costs little; large data files (the
            // MNIST sample) are known by their stamps alone.
            let hash = hashing && kind == S_IFREG && info.st_size <= 256 * 1024
                ? FolderSnapshot.fnv1a((try? Data(contentsOf: url)) ?? Data()) : 0
            files[path] = Stamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), mode: UInt32(info.st_mode),
                                modified: Self.nanoseconds(modificationOf: info), changed: Self.nanoseconds(changeOf: info),
                                hash: hash)
            if kind == S_IFDIR { read(url, as: path, hashing: hashing, into: &files) }
        }
    }

    static func nanoseconds(modificationOf info: stat) -> Int64 {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    static func nanoseconds(changeOf info: stat) -> Int64 {
        #if canImport(Darwin)
        let time = info.st_ctimespec
        #else
        let time = info.st_ctim
        #endif
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

/// Write permission taken away from the sandbox while student code runs.
///
/// When the grader runs as root and the tests as an unprivileged user, the sandbox's files
/// belong to root and that user cannot write them at all; the lock only makes sure nothing in
/// it is writable by group or others. When the tests run as the grader's own user, the lock
/// removes every write permission (`chmod a-w`) and ``unlock()`` puts the modes back. That is a
/// speed bump, not a wall: a process may `chmod` its own user's files back, and root ignores
/// modes. What holds in every case is the check afterwards (``SandboxSeal``).
public struct SandboxLock: Sendable {
    /// The modes taken away, by absolute path, to put back.
    let modes: [String: UInt32]

    /// Locks the package and build folder of a sandbox. `foreignUser`: the tests run as another
    /// user than the grader's.
    public static func lock(_ sandbox: Sandbox, foreignUser: Bool) -> SandboxLock {
        var modes: [String: UInt32] = [:]
        // Off Linux, `swift test --skip-build` runs the tests and writes in the sandbox: no lock.
        #if os(Linux)
        for folder in [sandbox.package, sandbox.scratch] {
            for item in [SubmissionFiles.Item(url: folder, relative: "", type: .typeDirectory, size: 0)] + SubmissionFiles.walk(folder, depth: 64) {
                var info = stat()
                guard lstat(item.url.path, &info) == 0, info.st_mode & S_IFMT != S_IFLNK else { continue }
                let mode = UInt32(info.st_mode & 0o7777)
                let writable: UInt32 = foreignUser ? 0o022 : 0o222
                guard mode & writable != 0 else { continue }
                if chmod(item.url.path, mode_t(mode & ~writable)) == 0, !foreignUser { modes[item.url.path] = mode }
            }
        }
        #endif
        return SandboxLock(modes: modes)
    }

    /// Gives back the write permissions taken away.
    public func unlock() {
        for (path, mode) in modes { chmod(path, mode_t(mode)) }
    }
}
