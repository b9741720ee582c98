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
        limits: ChildLimits? = nil
    ) throws -> ChildResult {
        precondition(!arguments.isEmpty, "ChildProcess.run needs a program to run")
        let start = Date()
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw GradingError("could not create a pipe: errno \(errno)") }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // Close-on-exec, so that children started at the same time by other threads do not
        // inherit the pipe and keep it open (dup2 onto 1 and 2 clears the flag for our child).
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        defer { close(readEnd) }

        // `sh` moves into the folder, then becomes the program (`exec`), keeping the same pid.
        // (posix_spawn's own chdir action is not in every C library Swift imports.)
        let command = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory.path] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        // Ctrl-C between the start of the child and `ActiveChild.group` must wait, or the
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
                pid = try spawnLimited(argv: argv, envp: envp, output: writeEnd, limits: limits)
            } else {
                pid = try spawn(argv: argv, envp: envp, output: writeEnd, readEnd: readEnd)
            }
            #else
            pid = try spawn(argv: argv, envp: envp, output: writeEnd, readEnd: readEnd)
            #endif
        } catch {
            close(writeEnd)
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            throw GradingError("could not start \(arguments[0]): \(error)")
        }
        close(writeEnd)
        ActiveChild.group = pid
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        defer { ActiveChild.group = 0 }

        var captured: [UInt8] = []
        var dropped = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var status: Int32 = 0
        var exited = false
        var timedOut = false
        var endOfOutput = false
        var drainDeadline: Date?
        var leftBehind = 0
        let deadline = start.addingTimeInterval(timeout)

        while !(exited && (endOfOutput || Date() > drainDeadline!)) {
            var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            if !endOfOutput, poll(&poller, 1, 50) > 0 {
                let count = read(readEnd, &buffer, buffer.count)
                if count <= 0 {
                    endOfOutput = true
                } else {
                    let room = max(0, captureLimit - captured.count)
                    captured.append(contentsOf: buffer[0..<min(room, count)])
                    dropped += max(0, count - room)
                }
            } else if endOfOutput {
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
        return ChildResult(
            termination: termination,
            bytes: captured,
            droppedBytes: dropped,
            seconds: Date().timeIntervalSince(start),
            leftBehind: max(0, leftBehind))
    }

    /// Starts `/bin/sh` with `argv` in a process group of its own, with `output` as its
    /// standard output and error.
    static func spawn(argv: [UnsafeMutablePointer<CChar>?], envp: [UnsafeMutablePointer<CChar>?],
                      output: Int32, readEnd: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, output)

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

/// The process group of the child running now, so an interrupted grader can stop it.
public enum ActiveChild {
    nonisolated(unsafe) public static var group: pid_t = 0

    /// Makes Ctrl-C (SIGINT) and SIGTERM kill the running child's process group before the
    /// grader exits. Children live in their own group, so the terminal's signal misses them.
    public static func killOnInterrupt() {
        let handler: @convention(c) (Int32) -> Void = { signal in
            if ActiveChild.group > 0 { kill(-ActiveChild.group, SIGKILL) }
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
