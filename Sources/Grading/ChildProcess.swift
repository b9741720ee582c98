import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended.
public enum Termination: Equatable, Sendable {
    /// It exited by itself with this status.
    case exited(Int32)
    /// A signal ended it (a trap is SIGILL or SIGTRAP, an abort SIGABRT).
    case signalled(Int32)
    /// It ran past its time limit and its whole process group was killed.
    case timedOut
}

/// The result of running a child process: how it ended and the start of what it printed.
public struct ChildResult: Sendable {
    public let termination: Termination
    /// Standard output and standard error together, cut to the capture limit.
    public let bytes: [UInt8]
    /// Bytes printed beyond the capture limit (read and thrown away).
    public let droppedBytes: Int
    public let seconds: Double
    /// Processes still running in the child's group when it ended or was stopped (then killed):
    /// many of them point at a fork loop.
    public var leftBehind: Int = 0
    /// What the child wrote to its results channel (``ChildProcess/Channel``), when it had one.
    public var channel = ChannelContent()

    /// Everything read from a results channel, and whether it was read whole.
    public struct ChannelContent: Sendable {
        public var bytes: [UInt8] = []
        /// The channel carried more than ``ChildProcess/Channel/limit`` bytes; the rest was dropped.
        public var overflowed = false
        /// Every process that could write to the channel had closed it when the child ended
        /// (nothing the child started still held it).
        public var closed = true
    }

    /// The captured output as text.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    /// Whether it exited by itself with status 0.
    public var succeeded: Bool { termination == .exited(0) }
}

/// Runs a program in its own process group, with a time limit and a cap on what is kept of
/// its output.
///
/// Student code runs inside these children. It may loop forever, fork, or print gigabytes, so:
/// - the child gets a new process group, and on timeout (or when it exits) the whole group is
///   killed, so nothing it started keeps running;
/// - output is read through a pipe as it comes, so a chatty child never blocks and never fills
///   the disk; only the first `captureLimit` bytes are kept.
///
/// ```swift
/// let result = try ChildProcess.run(["/usr/bin/env", "swift", "build"], in: folder, timeout: 600)
/// if case .exited(0) = result.termination { print("built") }
/// ```
public enum ChildProcess {
    /// Runs `arguments` in `directory` and waits for it to end, or for `timeout` seconds.
    ///
    /// - Parameter limits: limits on memory, files, processes, CPU and network for a child that
    ///   runs student code (Linux; ignored elsewhere). Nil for trusted programs (the compiler).
    public static func run(
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Double,
        captureLimit: Int = 256 * 1024,
        limits: ChildLimits? = nil,
        channel: Channel? = nil
    ) throws -> ChildResult {
        precondition(!arguments.isEmpty, "ChildProcess.run needs a program to run")
        let start = Date()
        let (readEnd, writeEnd) = try makePipe()
        defer { close(readEnd) }
        // The results channel: a second pipe, whose write end the child alone holds, as
        // descriptor `channel.descriptor`.
        let results = try channel.map { _ in try makePipe() }
        defer { if let results { close(results.read) } }
        #if os(Linux)
        if let results, let limits, limits.dropPrivileges {
            // A pipe belongs to its creator, mode 0600: the unprivileged user the child becomes
            // could not reopen it as /dev/fd/N.
            _ = fchown(results.write, limits.limits.runAs.uid, limits.limits.runAs.gid)
        }
        #endif
        let channelEnd = results.flatMap { ends in channel.map { (source: ends.write, target: $0.descriptor) } }

        // `sh` moves into the folder, then becomes the program (`exec`), keeping the same pid.
        // (posix_spawn's own chdir action is not in every C library Swift imports.)
        let command = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory.path] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        // Ctrl-C between the start of the child and `ActiveChild.add` must wait, or the
        // handler would not know whom to stop.
        var interrupts = sigset_t(), previous = sigset_t()
        sigemptyset(&interrupts)
        sigaddset(&interrupts, SIGINT)
        sigaddset(&interrupts, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &interrupts, &previous)
        let pid: pid_t
        do {
            #if os(Linux)
            if let limits {
                pid = try spawnLimited(argv: argv, envp: envp, output: writeEnd, channel: channelEnd, limits: limits)
            } else {
                pid = try spawn(argv: argv, envp: envp, output: writeEnd, channel: channelEnd)
            }
            #else
            pid = try spawn(argv: argv, envp: envp, output: writeEnd, channel: channelEnd)
            #endif
        } catch {
            close(writeEnd)
            if let results { close(results.write) }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            throw GradingError("could not start \(arguments[0]): \(error)")
        }
        close(writeEnd)
        if let results { close(results.write) }
        ActiveChild.add(pid)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        defer { ActiveChild.remove(pid) }

        var captured: [UInt8] = []
        var dropped = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = 0
        var exited = false
        var timedOut = false
        var endOfOutput = false
        var content = ChildResult.ChannelContent()
        var endOfChannel = results == nil
        var drainDeadline: Date?
        var leftBehind = 0
        let deadline = start.addingTimeInterval(timeout)

        // Both pipes are read as they fill, so that neither a chatty child nor a long event
        // stream ever blocks it.
        while !(exited && ((endOfOutput && endOfChannel) || Date() > drainDeadline!)) {
            var pollers = [pollfd(fd: endOfOutput ? -1 : readEnd, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: endOfChannel ? -1 : results?.read ?? -1, events: Int16(POLLIN), revents: 0)]
            if !(endOfOutput && endOfChannel), poll(&pollers, 2, 50) > 0 {
                if pollers[0].revents != 0 {
                    let count = read(readEnd, &buffer, buffer.count)
                    if count <= 0 {
                        endOfOutput = true
                    } else {
                        let room = max(0, captureLimit - captured.count)
                        captured.append(contentsOf: buffer[0..<min(room, count)])
                        dropped += max(0, count - room)
                    }
                }
                if pollers[1].revents != 0, let results {
                    let count = read(results.read, &buffer, buffer.count)
                    if count <= 0 {
                        endOfChannel = true
                    } else {
                        let room = max(0, Channel.limit - content.bytes.count)
                        content.bytes.append(contentsOf: buffer[0..<min(room, count)])
                        if count > room { content.overflowed = true }
                    }
                }
            } else if endOfOutput && endOfChannel {
                usleep(20_000)
            }
            if !exited, Self.hasExited(pid) {
                // Anything the child left behind in its group goes too, so that no grandchild
                // keeps running or keeps the pipe open. The child is not reaped yet, so its pid
                // (the group's id) cannot have been reused by an unrelated process.
                leftBehind = Self.members(ofGroup: pid) - 1
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                exited = true
                drainDeadline = Date().addingTimeInterval(2)
            }
            if !exited, Date() > deadline {
                timedOut = true
                leftBehind = Self.members(ofGroup: pid) - 1
                kill(-pid, SIGKILL)
            }
        }

        let termination: Termination
        if timedOut {
            termination = .timedOut
        } else if status & 0x7f == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signalled(status & 0x7f)
        }
        content.closed = endOfChannel
        return ChildResult(
            termination: termination,
            bytes: captured,
            droppedBytes: dropped,
            seconds: Date().timeIntervalSince(start),
            leftBehind: max(0, leftBehind),
            channel: content)
    }

    /// A second pipe from the child back to the caller, for results that must not mix with
    /// what the child prints: the child gets its write end as descriptor `descriptor` (and
    /// nothing else of it), the caller reads it while the child runs.
    public struct Channel: Sendable {
        /// The descriptor number the child finds the write end at (`/dev/fd/N`).
        public let descriptor: Int32
        public init(descriptor: Int32) { self.descriptor = descriptor }
        /// The most kept of what a channel carries, in bytes: far more than an honest event stream.
        public static let limit = 32 * 1024 * 1024
    }

    /// A pipe whose two ends are closed on `exec`, so that children started at the same time
    /// by other threads do not inherit it and keep it open (`dup2` onto the child's own numbers
    /// clears the flag there).
    static func makePipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw GradingError("could not create a pipe: errno \(errno)") }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return (ends[0], ends[1])
    }

    /// Starts `/bin/sh` with `argv` in a process group of its own, with `output` as its
    /// standard output and error.
    static func spawn(argv: [UnsafeMutablePointer<CChar>?], envp: [UnsafeMutablePointer<CChar>?],
                      output: Int32, channel: (source: Int32, target: Int32)? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        // (Both pipes are close-on-exec; the dup2 copies are not.)
        if let channel { posix_spawn_file_actions_adddup2(&actions, channel.source, channel.target) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw GradingError(String(cString: strerror(spawned))) }
        return pid
    }

    /// The number of processes in a process group now (Linux; 1 elsewhere).
    static func members(ofGroup group: pid_t) -> Int {
        #if os(Linux)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var count = 0
        for name in names where Int32(name) != nil {
            // /proc/PID/stat: "pid (command) state ppid pgrp ...": the command may hold spaces.
            guard let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 2, Int32(fields[2]) == group { count += 1 }
        }
        return count
        #else
        return 1
        #endif
    }
}

extension ChildProcess {
    /// Whether the child has exited, without reaping it (`WNOWAIT`).
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 else { return false }
        return info.si_signo == SIGCHLD
    }
}

/// The process groups of the children running now (several run at once when exercises are
/// checked alone side by side), so an interrupted grader can stop them.
public enum ActiveChild {
    /// Slots the signal handler reads without a lock: 0 is free.
    static let slotCount = 64
    nonisolated(unsafe) static let groups: UnsafeMutablePointer<pid_t> = {
        let slots = UnsafeMutablePointer<pid_t>.allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        return slots
    }()
    static let lock = NSLock()

    static func add(_ group: pid_t) {
        lock.withLock {
            if let free = (0..<slotCount).first(where: { groups[$0] == 0 }) { groups[free] = group }
        }
    }

    static func remove(_ group: pid_t) {
        lock.withLock {
            for slot in 0..<slotCount where groups[slot] == group { groups[slot] = 0 }
        }
    }

    /// Makes Ctrl-C (SIGINT) and SIGTERM kill the running children's process groups before the
    /// grader exits. Children live in their own group, so the terminal's signal misses them.
    public static func killOnInterrupt() {
        _ = groups
        let handler: @convention(c) (Int32) -> Void = { signal in
            for slot in 0..<ActiveChild.slotCount where ActiveChild.groups[slot] > 0 { kill(-ActiveChild.groups[slot], SIGKILL) }
            _exit(128 + signal)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
        // A parent may have started this process with the signals blocked (a test harness's
        // thread, for example): then Ctrl-C would wait for ever.
        var interrupts = sigset_t()
        sigemptyset(&interrupts)
        sigaddset(&interrupts, SIGINT)
        sigaddset(&interrupts, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &interrupts, nil)
    }
}

/// A failure of the grader itself (not of a submission): a missing tool, an unreadable folder.
public struct GradingError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
