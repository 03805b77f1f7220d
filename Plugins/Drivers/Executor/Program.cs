using System.Runtime.InteropServices;
using Nomad.Executor;

// nomad-executor <spec.json>: the per-task shim. See Shim for what it does and in what order.
// --isolate / --init: the exec driver's isolation stages, which the shim runs itself (see Isolation).
if (args.Length == 2 && args[0] == Isolation.IsolateFlag) return Isolation.RunIsolate(args[1]);
if (args.Length == 4 && args[0] == Isolation.InitFlag) return Isolation.RunInit(args[1], uint.Parse(args[2]), uint.Parse(args[3]));
if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Shim.Log("usage: nomad-executor <spec.json>");
    return 2;
}
return Shim.Run(args[0]);

namespace Nomad.Executor
{
    /// <summary>
    /// One shim per task. It detaches from the driver (setsid), spawns the task in its own process group,
    /// pumps the task's stdout/stderr into rotated log files, reaps it with wait4 for the real exit code or
    /// signal, writes the exit status atomically, and exits. A driver or agent that dies meanwhile does not
    /// take the shim or the task with it; the next driver finds them again by PID + start time.
    /// <para>
    /// Files it writes (paths come from the spec): <c>started.json</c> once the task runs
    /// (<c>{"Pid","StartTime","ExecutorPid","ExecutorStartTime","StartedAt"}</c>, or <c>{"Error"}</c> if it
    /// could not start), and <c>exit.json</c> when it has exited
    /// (<c>{"ExitCode","Signal","OOMKilled","ExitedAt"}</c>). It also prints one line on its stdout for the
    /// driver that launched it (<c>started PID</c> or <c>error: ...</c>), then points its stdout and stderr
    /// at <c>executor.log</c> beside the spec.
    /// </para>
    /// </summary>
    internal static unsafe class Shim
    {
        private static volatile int s_taskPid;   // 0 until spawned, and again once reaped: nothing to forward to
        private static int s_chldR = -1, s_chldW = -1; // SIGCHLD → main loop
        private const int DrainAfterExitMs = 2000;

        public static void Log(string msg)
        {
            var line = System.Text.Encoding.UTF8.GetBytes($"{StatusFile.Now()} nomad-executor[{Environment.ProcessId}]: {msg}\n");
            Libc.WriteAll(2, line);
        }

        public static int Run(string specPath)
        {
            // The driver may vanish at any moment: writes to its pipes must fail with EPIPE, not kill us.
            Libc.signal(Libc.SIGPIPE, 1 /* SIG_IGN */);
            Spec spec;
            try { spec = Spec.Load(specPath); }
            catch (Exception e) { Log($"cannot read spec {specPath}: {e.Message}"); return 2; }

            // Our own session: no terminal, no process group shared with the driver, so signals aimed at
            // the driver's group (Ctrl-C, the agent's service manager) and the driver's death do not reach us.
            if (Libc.setsid() < 0) Log($"setsid: {Libc.StrError(Libc.Errno)} (continuing)");
            int devNull = Libc.Open("/dev/null", Libc.O_RDWR);
            if (devNull >= 0) { Libc.dup2(devNull, 0); if (devNull > 2) Libc.close(devNull); }
            var logPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specPath)) ?? ".", "executor.log");
            int logFd = Libc.Open(logPath, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC, 0b110_100_100);

            // Orphans of the task become our children (not init's), so we can reap them and kill them at the end.
            if (Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) Log($"prctl(PR_SET_CHILD_SUBREAPER): {Libc.StrError(Libc.Errno)}");
            int* chld = stackalloc int[2];
            if (Libc.pipe2(chld, Libc.O_CLOEXEC | Libc.O_NONBLOCK) < 0) { Log($"pipe2: {Libc.StrError(Libc.Errno)}"); return 1; }
            s_chldR = chld[0]; s_chldW = chld[1];
            using var sigchld = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, OnChildSignal);

            int taskPid;
            int outR, errR;
            LogRotator stdout, stderr;
            try
            {
                stdout = new LogRotator(spec.StdoutPath, spec.LogMaxFiles, spec.LogMaxFileSizeBytes);
                stderr = new LogRotator(spec.StderrPath, spec.LogMaxFiles, spec.LogMaxFileSizeBytes);
                int* fds = stackalloc int[4];
                if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0 || Libc.pipe2(fds + 2, Libc.O_CLOEXEC) < 0)
                    throw new IOException($"pipe2: {Libc.StrError(Libc.Errno)}");
                outR = fds[0]; errR = fds[2];
                if (spec.Isolation is not null)
                {
                    try { taskPid = SpawnIsolated(specPath, spec, fds[1], fds[3]); }
                    finally { Libc.close(fds[1]); Libc.close(fds[3]); }
                }
                else
                {
                    var cwd = spec.Cwd.Length > 0 ? spec.Cwd : Environment.CurrentDirectory;
                    string? taskPath = null;
                    foreach (var kv in spec.Env) if (kv.Key == "PATH") { taskPath = kv.Value; break; }
                    var resolved = Spawner.Resolve(spec.Command, cwd, taskPath)
                        ?? throw new IOException($"failed to start {spec.Command}: executable file not found");
                    try { taskPid = Spawner.Spawn(resolved, spec, fds[1], fds[3]); }
                    finally { Libc.close(fds[1]); Libc.close(fds[3]); }
                }
            }
            catch (Exception e)
            {
                Log(e.Message);
                TryWrite(spec.StartedPath, new MiniJson.ObjectWriter().String("Error", e.Message));
                Notify($"error: {e.Message}\n");
                RedirectOutput(logFd);
                return 1;
            }

            s_taskPid = taskPid;
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Forward);
            using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, Forward);
            using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Forward);
            using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Forward);

            // The task exists (as a zombie at worst: only we reap it), so its start time can be read now.
            var taskStat = ProcStat.Read(taskPid);
            var selfStat = ProcStat.Read(Environment.ProcessId);
            TryWrite(spec.StartedPath, new MiniJson.ObjectWriter()
                .Number("Pid", taskPid)
                .Number("StartTime", (long)(taskStat?.StartTime ?? 0))
                .Number("ExecutorPid", Environment.ProcessId)
                .Number("ExecutorStartTime", (long)(selfStat?.StartTime ?? 0))
                .String("StartedAt", StatusFile.Now()));
            Notify($"started {taskPid}\n");
            RedirectOutput(logFd);
            Log($"started {spec.Command} as pid {taskPid}");

            var (status, exitedAt) = Pump(taskPid, outR, errR, stdout, stderr, spec.KillOrphans);
            stdout.Dispose();
            stderr.Dispose();

            int code, signal = 0;
            if ((status & 0x7f) == 0) code = (status >> 8) & 0xff;          // WIFEXITED
            else { signal = status & 0x7f; code = 128 + signal; }             // WIFSIGNALED: Nomad reports 128+N
            if (!TryWrite(spec.ExitStatusPath, new MiniJson.ObjectWriter()
                .Number("ExitCode", code)
                .Number("Signal", signal)
                .Bool("OOMKilled", signal == Libc.SIGKILL && Isolation.WasOomKilled(spec.Isolation))
                .String("ExitedAt", exitedAt))) return 1;
            Log($"task pid {taskPid} exited: code {code} signal {signal}");
            return 0;
        }

        /// <summary>
        /// exec: spawns our isolation stage (see <see cref="Isolation"/>) in its own process group and waits until the
        /// task's execve succeeded (EOF on the status pipe) or a stage reported why it could not start (thrown).
        /// </summary>
        private static int SpawnIsolated(string specPath, Spec spec, int stdoutFd, int stderrFd)
        {
            int* st = stackalloc int[2];
            if (Libc.pipe2(st, Libc.O_CLOEXEC) < 0) throw new IOException($"pipe2: {Libc.StrError(Libc.Errno)}");
            int pid;
            var self = Environment.ProcessPath ?? "/proc/self/exe";
            try { pid = Spawner.Spawn(self, [self, Isolation.IsolateFlag, Path.GetFullPath(specPath)], [], "", stdoutFd, stderrFd, st[1], newGroup: true, what: spec.Command); }
            catch { Libc.close(st[0]); Libc.close(st[1]); throw; }
            Libc.close(st[1]);
            var msg = new System.Text.StringBuilder();
            byte* b = stackalloc byte[1024];
            var fd = stackalloc Libc.PollFd[1];
            long deadline = Environment.TickCount64 + 30_000;
            while (true)
            {
                fd[0] = new Libc.PollFd { Fd = st[0], Events = Libc.POLLIN };
                int left = (int)Math.Max(0, deadline - Environment.TickCount64);
                int r = Libc.poll(fd, 1, left);
                if (r < 0 && Libc.Errno == Libc.EINTR) continue;
                if (r == 0) { Libc.kill(-pid, Libc.SIGKILL); msg.Append("the isolation stages did not start the task within 30 s"); break; }
                nint n = Libc.read(st[0], b, 1024);
                if (n < 0 && Libc.Errno == Libc.EINTR) continue;
                if (n <= 0) break;
                msg.Append(System.Text.Encoding.UTF8.GetString(b, (int)n));
            }
            Libc.close(st[0]);
            if (msg.Length == 0) return pid;
            int ws, w;
            do w = Libc.wait4(pid, &ws, 0, null); while (w < 0 && Libc.Errno == Libc.EINTR);
            throw new IOException(msg.ToString());
        }

        /// <summary>Copies the task's output to the logs until it has exited and its pipes are drained; returns the wait status.</summary>
        private static (int Status, string ExitedAt) Pump(int pid, int outR, int errR, LogRotator stdout, LogRotator stderr, bool killOrphans)
        {
            // pidfd_open makes the task's exit a poll event beside its pipes and the SIGCHLD pipe: one thread, no timers.
            int pidFd = (int)Libc.syscall(Libc.SYS_pidfd_open, pid, 0);
            if (pidFd < 0) Log($"pidfd_open: {Libc.StrError(Libc.Errno)}; checking the task every 100 ms");
            // Native memory: its pages are touched only when the task writes that much at once (a managed array is zeroed).
            const int BufSize = 32 * 1024;
            var b = (byte*)System.Runtime.InteropServices.NativeMemory.Alloc(BufSize);
            var fds = stackalloc Libc.PollFd[4];
            bool outOpen = true, errOpen = true, reaped = false;
            int status = 0;
            string exitedAt = "";
            long drainUntil = 0;
            bool trimmed = false;
            try
            {
                while (!(reaped && !outOpen && !errOpen))
                {
                    int n = 0, iOut = -1, iErr = -1, iPid = -1, iChld;
                    if (outOpen) { iOut = n; fds[n++] = new Libc.PollFd { Fd = outR, Events = Libc.POLLIN }; }
                    if (errOpen) { iErr = n; fds[n++] = new Libc.PollFd { Fd = errR, Events = Libc.POLLIN }; }
                    if (!reaped && pidFd >= 0) { iPid = n; fds[n++] = new Libc.PollFd { Fd = pidFd, Events = Libc.POLLIN }; }
                    iChld = n; fds[n++] = new Libc.PollFd { Fd = s_chldR, Events = Libc.POLLIN };
                    int timeout = -1;
                    if (reaped)
                    {
                        // Whatever still holds the pipes after the task exited (and we killed its leftovers) gets a short grace.
                        timeout = (int)Math.Max(0, drainUntil - Environment.TickCount64);
                        if (timeout == 0) { Log("output pipes still open after the task exited; stopping the log copy"); break; }
                    }
                    else if (pidFd < 0) timeout = 100;

                    // About to wait, most likely for a long time: drop the start-up pages first (see CodeTrim).
                    if (!trimmed) { trimmed = true; CodeTrim.Run(); }
                    int r = Libc.poll(fds, (nuint)n, timeout);
                    if (r < 0 && Libc.Errno == Libc.EINTR) continue;
                    if (iOut >= 0 && fds[iOut].REvents != 0) outOpen = Copy(outR, b, BufSize, stdout);
                    if (iErr >= 0 && fds[iErr].REvents != 0) errOpen = Copy(errR, b, BufSize, stderr);
                    bool childEvent = fds[iChld].REvents != 0;
                    if (childEvent) { DrainChildPipe(); ReapOrphans(reaped ? 0 : pid); }
                    if (!reaped && (iPid < 0 || fds[iPid].REvents != 0 || childEvent))
                    {
                        int st, w;
                        do w = Libc.wait4(pid, &st, Libc.WNOHANG, null); while (w < 0 && Libc.Errno == Libc.EINTR);
                        if (w == pid || (w < 0 && Libc.Errno == Libc.ECHILD))
                        {
                            reaped = true;
                            status = w == pid ? st : 0xff00; // ECHILD cannot happen to a parent; report 255 rather than 0 if it does
                            exitedAt = StatusFile.Now();
                            s_taskPid = 0;
                            if (killOrphans) KillLeftovers(pid);
                            drainUntil = Environment.TickCount64 + DrainAfterExitMs;
                        }
                    }
                }
            }
            finally { System.Runtime.InteropServices.NativeMemory.Free(b); }
            ReapOrphans(0);
            if (pidFd >= 0) Libc.close(pidFd);
            Libc.close(outR);
            Libc.close(errR);
            return (status, exitedAt);
        }

        /// <summary>Reads one chunk into the log; false at end of stream.</summary>
        private static bool Copy(int fd, byte* b, int size, LogRotator log)
        {
            nint r;
            do r = Libc.read(fd, b, size); while (r < 0 && Libc.Errno == Libc.EINTR);
            if (r <= 0) return r < 0 && Libc.Errno == Libc.EAGAIN;
            log.Write(new ReadOnlySpan<byte>(b, (int)r));
            return true;
        }

        /// <summary>
        /// We are the task's child subreaper: whatever it forks and abandons (double forks, setsid daemons) becomes
        /// our child. Reap those that exited, leaving the task itself (<paramref name="taskPid"/>) to the main wait.
        /// </summary>
        private static void ReapOrphans(int taskPid)
        {
            foreach (var child in ProcStat.Children())
            {
                if (child == taskPid) continue;
                int st, w;
                do w = Libc.wait4(child, &st, Libc.WNOHANG, null); while (w < 0 && Libc.Errno == Libc.EINTR);
            }
        }

        /// <summary>
        /// The task's main process is gone: what it left behind goes too, as Nomad's cgroup cleanup does. The task's
        /// process group first, then every remaining child of ours (orphans reparent to us, their subreaper), until
        /// none is left or two seconds pass. No /proc scan: cheap even with hundreds of tasks stopping at once.
        /// </summary>
        private static void KillLeftovers(int pgid)
        {
            Libc.kill(-pgid, Libc.SIGKILL);
            long deadline = Environment.TickCount64 + 2000;
            var fd = stackalloc Libc.PollFd[1];
            while (true)
            {
                var kids = ProcStat.Children();
                if (kids.Count == 0) return;
                foreach (var k in kids)
                {
                    Libc.kill(k, Libc.SIGKILL);
                    int st;
                    Libc.wait4(k, &st, Libc.WNOHANG, null);
                }
                long left = deadline - Environment.TickCount64;
                if (left <= 0) { Log($"{kids.Count} leftover process(es) would not die: {string.Join(' ', kids)}"); return; }
                fd[0] = new Libc.PollFd { Fd = s_chldR, Events = Libc.POLLIN };
                Libc.poll(fd, 1, (int)Math.Min(left, 50));
                DrainChildPipe();
            }
        }

        /// <summary>SIGCHLD, seen on the .NET signal thread, becomes a byte in a pipe the main loop polls.</summary>
        private static void OnChildSignal(PosixSignalContext ctx)
        {
            byte one = 1;
            Libc.write(s_chldW, &one, 1); // EAGAIN when the pipe is full: a wake-up is pending anyway
        }

        private static void DrainChildPipe()
        {
            byte* junk = stackalloc byte[64];
            while (Libc.read(s_chldR, junk, 64) > 0) { }
        }

        private static void Forward(PosixSignalContext ctx)
        {
            ctx.Cancel = true; // we stay to reap the task and record how it ended
            int pid = s_taskPid;
            if (pid > 0) Libc.kill(-pid, ctx.Signal switch
            {
                PosixSignal.SIGTERM => Libc.SIGTERM,
                PosixSignal.SIGINT => Libc.SIGINT,
                PosixSignal.SIGQUIT => Libc.SIGQUIT,
                _ => Libc.SIGHUP,
            });
        }

        private static void Notify(string line) => Libc.WriteAll(1, System.Text.Encoding.UTF8.GetBytes(line));

        /// <summary>After the one line for the driver, stdout and stderr go to executor.log (the driver's pipes may close any time).</summary>
        private static void RedirectOutput(int logFd)
        {
            if (logFd < 0) logFd = Libc.Open("/dev/null", Libc.O_WRONLY);
            Libc.dup2(logFd, 1);
            Libc.dup2(logFd, 2);
        }

        private static bool TryWrite(string path, MiniJson.ObjectWriter body)
        {
            try { StatusFile.Write(path, body); return true; }
            catch (Exception e) { Log($"writing {path}: {e.Message}"); return false; }
        }
    }
}
