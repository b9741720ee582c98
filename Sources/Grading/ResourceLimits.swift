import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits on every process that runs student code, set in the child before it starts the
/// program (`setrlimit`), and inherited by everything it starts:
///
/// - memory: the address space of each process (`RLIMIT_AS`), so a 50 GB allocation fails at
///   once instead of pushing the machine into swap;
/// - file size: the largest file a process may write (`RLIMIT_FSIZE`), so a loop that writes
///   without end is stopped with SIGXFSZ;
/// - processes: how many processes and threads the user running the tests may have
///   (`RLIMIT_NPROC`), so a fork loop hits a ceiling. The kernel never applies this limit to
///   root, so a grader running as root runs student code as an unprivileged user (``runAs``),
///   and a grader running as another user sets it above the processes that user already has;
/// - CPU time of each process (`RLIMIT_CPU`: SIGXCPU, then SIGKILL five seconds later);
/// - network: off, in a network namespace of its own that holds only a loopback device, when
///   the grader may create one (as root, or through an unprivileged user namespace).
///
/// Linux only. The grader checks at the start what it can enforce and says what it cannot
/// (``enforcement``).
public struct ResourceLimits: Sendable, Equatable {
    /// Bytes of address space for each process.
    public var memoryBytes: UInt64
    /// Bytes of the largest file a process may write.
    public var fileBytes: UInt64
    /// Processes and threads the tests may run at once (beyond what the user already runs).
    public var processes: Int
    /// Seconds of CPU time for each process.
    public var cpuSeconds: Int
    /// Whether student code may use the network.
    public var network: Bool
    /// The user and group student code runs as when the grader runs as root (nobody).
    public var runAs: (uid: UInt32, gid: UInt32)

    public init(memoryMB: Int = 4_096, fileMB: Int = 256, processes: Int = 512, cpuSeconds: Int = 300,
                network: Bool = false, runAs: (uid: UInt32, gid: UInt32) = (65_534, 65_534)) {
        memoryBytes = UInt64(memoryMB) * 1024 * 1024
        fileBytes = UInt64(fileMB) * 1024 * 1024
        self.processes = processes
        self.cpuSeconds = cpuSeconds
        self.network = network
        self.runAs = runAs
    }

    public static func == (a: ResourceLimits, b: ResourceLimits) -> Bool {
        a.memoryBytes == b.memoryBytes && a.fileBytes == b.fileBytes && a.processes == b.processes
            && a.cpuSeconds == b.cpuSeconds && a.network == b.network && a.runAs == b.runAs
    }

    /// The limits in words, for the grader's report and the students' feedback.
    public var summary: String {
        "\(memoryBytes / 1024 / 1024) MB of memory and \(cpuSeconds) s of CPU per process, files of at most "
            + "\(fileBytes / 1024 / 1024) MB, \(processes) processes"
    }

    /// What this machine lets the grader enforce, found by trying it in a child process.
    public struct Enforcement: Sendable, Equatable {
        /// Whether the grader runs as root and so drops to ``ResourceLimits/runAs`` for tests.
        public let dropsPrivileges: Bool
        /// Whether the process limit can hold (never for root without dropping privileges).
        public let processLimit: Bool
        /// Whether tests run without network.
        public let networkOff: Bool
        /// Why something could not be enforced, in sentences for the instructor.
        public let notes: [String]
    }

    /// Tries, in a child, what can be enforced for tests that run from `folder`: dropping to
    /// ``runAs`` when root (the folder and its parents must let that user in), and a network
    /// namespace.
    public func enforcement(runningIn folder: URL) -> Enforcement {
        #if os(Linux)
        var notes: [String] = []
        var drops = false
        if getuid() == 0 {
            if let problem = Self.unreachable(folder, by: runAs) {
                notes.append("Student code runs as root, with no process limit (the kernel does not apply one to root): \(problem). Grade with --work in a folder every user can enter (for example /tmp/book-grading) to run student code as an unprivileged user.")
            } else {
                drops = true
            }
        }
        var networkOff = false
        if !network {
            let probe = try? ChildProcess.run(["/bin/true"], in: URL(fileURLWithPath: "/"), timeout: 10,
                                              limits: ChildLimits(self, dropPrivileges: drops, isolateNetwork: true))
            networkOff = probe?.succeeded == true
            if !networkOff {
                notes.append("Student code can use the network: this machine does not let the grader create a network namespace (it needs root, or unprivileged user namespaces). Grade in a container with the network off.")
            }
        }
        return Enforcement(dropsPrivileges: drops, processLimit: getuid() != 0 || drops, networkOff: networkOff, notes: notes)
        #else
        return Enforcement(dropsPrivileges: false, processLimit: false, networkOff: false,
                           notes: ["Limits on student code (memory, files, processes, CPU, network) are applied on Linux only: grade in a Linux container."])
        #endif
    }

    /// Why `user` cannot reach `folder` (a folder on the way that others may not enter, or a
    /// umask that makes new files private), or nil when it can.
    static func unreachable(_ folder: URL, by user: (uid: UInt32, gid: UInt32)) -> String? {
        var path = folder.standardizedFileURL.path
        while !path.isEmpty {
            var info = stat()
            if stat(path, &info) == 0, info.st_uid != user.uid, info.st_mode & 0o001 == 0 {
                return "\(path) is closed to other users"
            }
            if path == "/" { break }
            path = (path as NSString).deletingLastPathComponent
        }
        let mask = umask(0o022)
        umask(mask)
        if mask & 0o005 != 0 {
            return "the umask \(String(mask, radix: 8)) makes the build's files unreadable to other users"
        }
        return nil
    }
}

/// The limits one child process gets: ``ResourceLimits`` and what the machine allows of them.
public struct ChildLimits: Sendable {
    public let limits: ResourceLimits
    /// Run as ``ResourceLimits/runAs`` (the grader is root).
    public let dropPrivileges: Bool
    /// Start in a network namespace of its own.
    public let isolateNetwork: Bool

    public init(_ limits: ResourceLimits, dropPrivileges: Bool, isolateNetwork: Bool) {
        self.limits = limits
        self.dropPrivileges = dropPrivileges
        self.isolateNetwork = isolateNetwork
    }

    public init(_ limits: ResourceLimits, enforcement: ResourceLimits.Enforcement) {
        self.init(limits, dropPrivileges: enforcement.dropsPrivileges, isolateNetwork: enforcement.networkOff)
    }

    /// The number `RLIMIT_NPROC` must have so that the child may start `processes` more:
    /// the kernel counts every process and thread of the user, not only the child's.
    func processCeiling() -> Int {
        let uid = dropPrivileges ? limits.runAs.uid : UInt32(getuid())
        return Self.tasks(ofUser: uid) + limits.processes
    }

    /// Processes and threads that belong to a user now (read from /proc).
    public static func tasks(ofUser uid: UInt32) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var count = 0
        for name in names where Int(name) != nil {
            guard let status = try? String(contentsOfFile: "/proc/\(name)/status", encoding: .utf8) else { continue }
            var owner: UInt32?
            var threads = 1
            for line in status.split(separator: "\n") {
                if line.hasPrefix("Uid:") { owner = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { UInt32($0) } }
                if line.hasPrefix("Threads:") { threads = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { Int($0) } ?? 1 }
            }
            if owner == uid { count += threads }
        }
        return count
    }
}
