import Foundation
import Grading

/// Builds zip and tar archives byte by byte, so the tests can make the hostile ones (`../`,
/// absolute paths, symbolic links) that ordinary tools refuse to write.
enum ArchiveFixtures {
    /// One entry to write: a file with contents, a folder, or a symbolic link to `target`.
    enum Entry {
        case file(String, String)
        case folder(String)
        case link(String, target: String)

        var path: String {
            switch self {
            case .file(let path, _), .folder(let path), .link(let path, _): path
            }
        }

        var contents: [UInt8] {
            switch self {
            case .file(_, let text): Array(text.utf8)
            case .folder: []
            case .link(_, let target): Array(target.utf8)
            }
        }

        /// The Unix mode: regular file, folder or symbolic link.
        var mode: UInt32 {
            switch self {
            case .file: 0o100644
            case .folder: 0o040755
            case .link: 0o120777
            }
        }
    }

    /// A zip file with every entry stored (not compressed), made on Unix (so modes count).
    static func zip(_ entries: [Entry]) -> Data {
        ZipWriter.zip(entries.map { ZipWriter.Entry(path: $0.path, contents: $0.contents, mode: $0.mode) })
    }

    /// A tar file (ustar headers) of the entries.
    static func tar(_ entries: [Entry]) -> [UInt8] {
        var bytes: [UInt8] = []
        for entry in entries {
            var header = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int) {
                for (i, byte) in text.utf8.enumerated() { header[offset + i] = byte }
            }
            put(entry.path, at: 0)
            put(String(format: "%07o", entry.mode & 0o7777), at: 100)
            put("0000000", at: 108)
            put("0000000", at: 116)
            let size = if case .file = entry { entry.contents.count } else { 0 }
            put(String(format: "%011o", size), at: 124)
            put("00000000000", at: 136)
            switch entry {
            case .file: header[156] = UInt8(ascii: "0")
            case .folder: header[156] = UInt8(ascii: "5")
            case .link(_, let target):
                header[156] = UInt8(ascii: "2")
                put(target, at: 157)
            }
            put("ustar", at: 257)
            put("00", at: 263)
            put("        ", at: 148)
            let sum = header.reduce(0) { $0 + Int($1) }
            put(String(format: "%06o", sum), at: 148)
            header[154] = 0
            header[155] = 32
            bytes += header
            if case .file = entry {
                bytes += entry.contents
                bytes += [UInt8](repeating: 0, count: (512 - entry.contents.count % 512) % 512)
            }
        }
        return bytes + [UInt8](repeating: 0, count: 1024)
    }

    /// The tar file gzipped with the system `gzip`, written to `url`.
    static func writeTarGzip(_ entries: [Entry], to url: URL) throws {
        let plain = url.deletingPathExtension()  // x.tar.gz -> x.tar
        try Data(tar(entries)).write(to: plain)
        let result = try ChildProcess.run(["gzip", "-f", plain.path], in: url.deletingLastPathComponent(), timeout: 60)
        guard result.succeeded else { throw GradingError("gzip failed: \(result.output)") }
    }

    /// A fresh empty folder under the system's temporary folder.
    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("grading-tests-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
