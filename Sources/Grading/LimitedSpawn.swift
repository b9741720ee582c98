#if os(Linux)
import Foundation
import Glibc

extension ChildProcess {
    /// Exit status of a child that could not take on its limits (a failed `unshare` or
    /// `setuid`): it stops before running anything.
    static let limitsFailedStatus: Int32 = 125

    /// Starts `/bin/sh` with `argv` as ``spawn(argv:envp:output:channel:)`` does, but through
    /// `fork`, so that the child can take on its limits before `exec`: resource limits, a
    /// network namespace, and an unprivileged user when the grader is root.
    ///
    /// Between `fork` and `exec` the child may only make async-signal-safe calls (the parent
    /// has other threads, whose locks the child inherits held), so everything it needs is
    /// prepared before the fork: C strings, `rlimit` values, the `unshare` function.
    static func spawnLimited(argv: [UnsafeMutablePointer<CChar>?], envp: [UnsafeMutablePointer<CChar>?],
                             output: Int32, channel: (source: Int32, target: Int32)? = nil,
                             limits: ChildLimits) throws -> pid_t {
        let settings = limits.limits
        var memory = rlimit(rlim_cur: rlim_t(settings.memoryBytes), rlim_max: rlim_t(settings.memoryBytes))
        var file = rlimit(rlim_cur: rlim_t(settings.fileBytes), rlim_max: rlim_t(settings.fileBytes))
        var cpu = rlimit(rlim_cur: rlim_t(settings.cpuSeconds), rlim_max: rlim_t(settings.cpuSeconds + 5))
        let ceiling = rlim_t(limits.processCeiling())
        var processes = rlimit(rlim_cur: ceiling, rlim_max: ceiling)
        let unshare = limits.isolateNetwork ? unshareFunction : nil
        // Root may make a network namespace directly; another user makes a user namespace
        // first, in which it may (when the kernel allows unprivileged user namespaces).
        let flags: Int32 = getuid() == 0 ? cloneNewNet : cloneNewUser | cloneNewNet
        let drop = limits.dropPrivileges
        let (uid, gid) = settings.runAs
        var none = sigset_t()
        sigemptyset(&none)
        let devNull = strdup("/dev/null")!
        let shell = strdup("/bin/sh")!
        defer { free(devNull); free(shell) }
        let argvBuffer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: argv.count)
        argvBuffer.initialize(from: argv, count: argv.count)
        let envpBuffer = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: envp.count)
        envpBuffer.initialize(from: envp, count: envp.count)
        defer { argvBuffer.deallocate(); envpBuffer.deallocate() }

        let pid = fork()
        if pid == 0 {
            setpgid(0, 0)
            let input = open(devNull, O_RDONLY)
            if input >= 0 { dup2(input, 0) }
            dup2(output, 1)
            dup2(output, 2)
            if let channel, dup2(channel.source, channel.target) < 0 { _exit(limitsFailedStatus) }
            setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &memory)
            setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &file)
            setrlimit(__rlimit_resource_t(RLIMIT_CPU.rawValue), &cpu)
            setrlimit(__rlimit_resource_t(__RLIMIT_NPROC.rawValue), &processes)
            if let unshare, unshare(flags) != 0 { _exit(limitsFailedStatus) }
            if drop && (setgroups(0, nil) != 0 || setgid(gid) != 0 || setuid(uid) != 0) { _exit(limitsFailedStatus) }
            sigprocmask(SIG_SETMASK, &none, nil)
            execve(shell, argvBuffer, envpBuffer)
            _exit(127)
        }
        guard pid > 0 else { throw GradingError(String(cString: strerror(errno))) }
        setpgid(pid, pid)
        return pid
    }

    /// `unshare(2)`, which Swift's Glibc module does not import.
    typealias UnshareFunction = @convention(c) (Int32) -> Int32
    static let unshareFunction: UnshareFunction? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unshare")
        .map { unsafeBitCast($0, to: UnshareFunction.self) }
    static let cloneNewNet: Int32 = 0x4000_0000
    static let cloneNewUser: Int32 = 0x1000_0000
}
#endif
