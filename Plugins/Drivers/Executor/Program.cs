using System.Runtime.InteropServices;
using Nomad.Executor;

// nomad-executor <spec.json>: the per-task shim. See Shim for what it does and in what order.
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

            int taskPid;
            int outR, errR;
            LogRotator stdout, stderr;
            try
            {
                stdout = new LogRotator(spec.StdoutPath, spec.LogMaxFiles, spec.LogMaxFileSizeBytes);
                stderr = new LogRotator(spec.StderrPath, spec.LogMaxFiles, spec.LogMaxFileSizeBytes);
                var cwd = spec.Cwd.Length > 0 ? spec.Cwd : Environment.CurrentDirectory;
                var taskPath = spec.Env.FirstOrDefault(kv => kv.Key == "PATH").Value;
                var resolved = Spawner.Resolve(spec.Command, cwd, taskPath)
                    ?? throw new IOException($"failed to start {spec.Command}: executable file not found");
                var (path, s) = Isolation.Prepare(resolved, spec);
                int* fds = stackalloc int[4];
                if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0 || Libc.pipe2(fds + 2, Libc.O_CLOEXEC) < 0)
                    throw new IOException($"pipe2: {Libc.StrError(Libc.Errno)}");
                outR = fds[0]; errR = fds[2];
                try { taskPid = Spawner.Spawn(path, s, fds[1], fds[3]); }
                finally { Libc.close(fds[1]); Libc.close(fds[3]); }
            }
            catch (Exception e)
            {
                Log(e.Message);
                TryWrite(spec.StartedPath, w => w.WriteString("Error", e.Message));
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
            TryWrite(spec.StartedPath, w =>
            {
                w.WriteNumber("Pid", taskPid);
                w.WriteNumber("StartTime", taskStat?.StartTime ?? 0);
                w.WriteNumber("ExecutorPid", Environment.ProcessId);
                w.WriteNumber("ExecutorStartTime", selfStat?.StartTime ?? 0);
                w.WriteString("StartedAt", StatusFile.Now());
            });
            Notify($"started {taskPid}\n");
            RedirectOutput(logFd);
            Log($"started {spec.Command} as pid {taskPid}");

            var (status, exitedAt) = Pump(taskPid, outR, errR, stdout, stderr, spec.KillOrphans);
            stdout.Dispose();
            stderr.Dispose();

            int code, signal = 0;
            if ((status & 0x7f) == 0) code = (status >> 8) & 0xff;          // WIFEXITED
            else { signal = status & 0x7f; code = 128 + signal; }             // WIFSIGNALED: Nomad reports 128+N
            if (!TryWrite(spec.ExitStatusPath, w =>
            {
                w.WriteNumber("ExitCode", code);
                w.WriteNumber("Signal", signal);
                w.WriteBoolean("OOMKilled", false);
                w.WriteString("ExitedAt", exitedAt);
            })) return 1;
            Log($"task pid {taskPid} exited: code {code} signal {signal}");
            return 0;
        }

        /// <summary>Copies the task's output to the logs until it has exited and its pipes are drained; returns the wait status.</summary>
        private static (int Status, string ExitedAt) Pump(int pid, int outR, int errR, LogRotator stdout, LogRotator stderr, bool killOrphans)
        {
            // pidfd_open makes the task's exit a poll event beside its pipes: one thread, no timers.
            int pidFd = (int)Libc.syscall(Libc.SYS_pidfd_open, pid, 0);
            if (pidFd < 0) Log($"pidfd_open: {Libc.StrError(Libc.Errno)}; checking the task every 100 ms");
            var buf = new byte[64 * 1024];
            var fds = stackalloc Libc.PollFd[3];
            bool outOpen = true, errOpen = true, reaped = false;
            int status = 0;
            string exitedAt = "";
            long drainUntil = 0;
            fixed (byte* b = buf)
            {
                while (!(reaped && !outOpen && !errOpen))
                {
                    int n = 0, iOut = -1, iErr = -1, iPid = -1;
                    if (outOpen) { iOut = n; fds[n++] = new Libc.PollFd { Fd = outR, Events = Libc.POLLIN }; }
                    if (errOpen) { iErr = n; fds[n++] = new Libc.PollFd { Fd = errR, Events = Libc.POLLIN }; }
                    if (!reaped && pidFd >= 0) { iPid = n; fds[n++] = new Libc.PollFd { Fd = pidFd, Events = Libc.POLLIN }; }
                    int timeout = -1;
                    if (reaped)
                    {
                        // Whatever still holds the pipes after the task exited (and we killed its group) gets a short grace.
                        timeout = (int)Math.Max(0, drainUntil - Environment.TickCount64);
                        if (timeout == 0) { Log("output pipes still open after the task exited; stopping the log copy"); break; }
                    }
                    else if (pidFd < 0) timeout = 100;

                    int r = Libc.poll(fds, (nuint)n, timeout);
                    if (r < 0 && Libc.Errno == Libc.EINTR) continue;
                    if (iOut >= 0 && fds[iOut].REvents != 0) outOpen = Copy(outR, b, buf.Length, stdout);
                    if (iErr >= 0 && fds[iErr].REvents != 0) errOpen = Copy(errR, b, buf.Length, stderr);
                    if (!reaped && (iPid < 0 || fds[iPid].REvents != 0))
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

        /// <summary>The task's main process is gone: what it left in its process group or our session goes too (as Nomad's cgroup cleanup does).</summary>
        private static void KillLeftovers(int pgid)
        {
            Libc.kill(-pgid, Libc.SIGKILL);
            int self = Environment.ProcessId;
            try
            {
                foreach (var p in ProcStat.SessionMembers(self))
                    if (p != self) Libc.kill(p, Libc.SIGKILL);
            }
            catch (Exception e) { Log($"scanning /proc for leftovers: {e.Message}"); }
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

        private static bool TryWrite(string path, Action<System.Text.Json.Utf8JsonWriter> body)
        {
            try { StatusFile.Write(path, body); return true; }
            catch (Exception e) { Log($"writing {path}: {e.Message}"); return false; }
        }
    }
}
