import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the files of a folder look like now: each file's modification time (to the
/// nanosecond), size, inode and a hash of its contents. Two snapshots differ when a file was
/// saved, added, removed or replaced (editors that save by writing a new file and renaming it
/// change the inode; the hash catches a change on a file system whose clock is coarse).
///
/// `book watch` takes one every ``pollInterval`` seconds and checks again when it changes:
///
/// ```swift
/// var seen = FolderSnapshot(exercisesFolder)
/// while true {
///     Thread.sleep(forTimeInterval: FolderSnapshot.pollInterval)
///     let now = FolderSnapshot(exercisesFolder)
///     if now != seen { seen = now; check() }
/// }
/// ```
public struct FolderSnapshot: Equatable, Sendable {
    /// How often `book watch` looks: a save is seen at most this long after it happens.
    public static let pollInterval = 0.5

    public struct Stamp: Equatable, Sendable {
        let seconds: Int
        let nanoseconds: Int
        let size: Int64
        let inode: UInt64
        let hash: UInt64
    }

    /// Path inside the folder, and its stamp.
    public let files: [String: Stamp]

    /// Reads every file under `folder` (not following symbolic links to folders), skipping
    /// hidden files such as editors' swap files (`.Exercises.swift.swp`).
    public init(_ folder: URL) {
        var files: [String: Stamp] = [:]
        for item in SubmissionFiles.walk(folder, depth: 8) where item.type == .typeRegular
            && !item.relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            var info = stat()
            guard stat(item.url.path, &info) == 0 else { continue }
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            // Exercise files are small; a large file is known by its stamp alone.
            let contents = info.st_size <= 4 * 1024 * 1024 ? (try? Data(contentsOf: item.url)) ?? Data() : Data()
            files[item.relative] = Stamp(seconds: Int(time.tv_sec), nanoseconds: Int(time.tv_nsec),
                                         size: Int64(info.st_size), inode: UInt64(info.st_ino),
                                         hash: Self.fnv1a(contents))
        }
        self.files = files
    }

    /// The 64-bit FNV-1a hash of some bytes.
    static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { bytes in
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return hash
    }

    /// The files that differ between two snapshots (saved, added or removed), sorted.
    public func changes(since earlier: FolderSnapshot) -> [String] {
        Set(files.keys).union(earlier.files.keys).filter { files[$0] != earlier.files[$0] }.sorted()
    }
}
