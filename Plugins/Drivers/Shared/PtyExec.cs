using System.Runtime.InteropServices;
using Nomad.Contracts;

namespace Nomad.Drivers.Shared;

/// <summary>
/// Runs a command on a new pseudo-terminal for a streaming exec with a tty: the command is posix_spawned as the
/// leader of a new session whose controlling terminal is the pty's slave (stdin, stdout and stderr), so job control
/// and ^C work; output (stdout and stderr together, as on any terminal) is read from the master, the user's
/// keystrokes and terminal sizes are written to it. .NET has no pty support, hence libc.
/// </summary>
internal static class PtyExec
{
    private const string L = "libc";
    private const int O_RDWR = 2, O_NOCTTY = 0x100, O_CLOEXEC = 0x80000;
    private const ulong TIOCSWINSZ = 0x5414, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431;
    private const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    private const int SIGPIPE = 13, EINTR = 4, EIO = 5;
    private const byte EndOfTransmission = 0x04; // ^D: how a terminal says "end of input"

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize { public ushort Rows, Cols, XPixel, YPixel; }

    [DllImport(L, SetLastError = true)] private static extern int posix_openpt(int flags);
    [DllImport(L, SetLastError = true)] private static extern int grantpt(int fd);
    [DllImport(L, SetLastError = true)] private static extern int unlockpt(int fd);
    [DllImport(L, SetLastError = true)] private static unsafe extern int ptsname_r(int fd, byte* buf, nuint len);
    [DllImport(L, SetLastError = true)] private static unsafe extern int ioctl(int fd, ulong request, WinSize* ws);
    [DllImport(L, SetLastError = true)] private static unsafe extern int ioctl(int fd, ulong request, int* arg);
    [DllImport(L, SetLastError = true, EntryPoint = "open")] private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);
    [DllImport(L, SetLastError = true)] private static unsafe extern nint read(int fd, byte* buf, nuint count);
    [DllImport(L, SetLastError = true)] private static unsafe extern nint write(int fd, byte* buf, nuint count);
    [DllImport(L, SetLastError = true)] private static extern int close(int fd);
    [DllImport(L, SetLastError = true)] private static unsafe extern int waitpid(int pid, int* status, int options);
    [DllImport(L)] private static unsafe extern int posix_spawn_file_actions_init(void* fa);
    [DllImport(L)] private static unsafe extern int posix_spawn_file_actions_destroy(void* fa);
    [DllImport(L)] private static unsafe extern int posix_spawn_file_actions_addopen(void* fa, int fd, byte* path, int oflag, uint mode);
    [DllImport(L)] private static unsafe extern int posix_spawn_file_actions_adddup2(void* fa, int fd, int newfd);
    [DllImport(L)] private static unsafe extern int posix_spawn_file_actions_addchdir_np(void* fa, byte* path);
    [DllImport(L)] private static unsafe extern int posix_spawnattr_init(void* attr);
    [DllImport(L)] private static unsafe extern int posix_spawnattr_destroy(void* attr);
    [DllImport(L)] private static unsafe extern int posix_spawnattr_setflags(void* attr, short flags);
    [DllImport(L)] private static unsafe extern int posix_spawnattr_setsigdefault(void* attr, void* set);
    [DllImport(L)] private static unsafe extern int posix_spawnattr_setsigmask(void* attr, void* set);
    [DllImport(L)] private static unsafe extern int sigemptyset(void* set);
    [DllImport(L)] private static unsafe extern int sigaddset(void* set, int sig);
    [DllImport(L)] private static unsafe extern int posix_spawn(int* pid, byte* path, void* fa, void* attr, byte** argv, byte** envp);

    /// <summary>
    /// Runs the command on a new pty. With <paramref name="ptyRoot"/> (a path to the task's root, seen from here) the
    /// pty comes from the devpts instance mounted at <c>ptyRoot/dev/pts</c>, so inside the task the terminal is
    /// <c>/dev/pts/N</c> of its own /dev (tty(1) names it); the host's devpts where that instance is missing.
    /// </summary>
    public static async Task<int> RunAsync(string exe, List<string> args, IReadOnlyDictionary<string, string> env, string cwd, IExecStream stream, CancellationToken ct, string? ptyRoot = null)
    {
        int master = -1;
        string slave = "";
        if (ptyRoot is not null && (master = OpenInstance(ptyRoot, out slave)) < 0) master = -1;
        if (master < 0)
        {
            master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
            if (master < 0) throw new IOException($"exec: cannot open a pseudo-terminal (errno {Marshal.GetLastPInvokeError()})");
        }
        // The master is closed by whichever finishes last of the reader thread and this method (after its input
        // loop): closed under a blocked read or a late stdin write, the descriptor number could already belong to
        // another session's pipe.
        var users = 1;
        void Release() { if (Interlocked.Decrement(ref users) == 0) close(master); }
        try
        {
            if (slave.Length == 0) slave = SlavePath(master);
            Resize(master, new ExecTtySize(24, 80));
            var env2 = new Dictionary<string, string>(env);
            env2.TryAdd("TERM", "xterm");
            int pid = Spawn(exe, [exe, .. args], env2.Select(kv => $"{kv.Key}={kv.Value}").ToList(), cwd, slave);

            var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            new Thread(() => exited.TrySetResult(Wait(pid))) { IsBackground = true, Name = "exec-pty-wait" }.Start();
            // Reads block in read(2): a thread of its own, ending with EIO once the last slave descriptor is closed.
            var output = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Increment(ref users);
            new Thread(() => { try { CopyOutput(master, stream, output, ct); } finally { Release(); } }) { IsBackground = true, Name = "exec-pty-read" }.Start();
            using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var input = CopyInputAsync(master, stream, done.Token);

            int code;
            using (ct.Register(() => Native.Kill(-pid, Native.SIGKILL)))
                code = await exited.Task.WaitAsync(ct).ConfigureAwait(false);
            await Task.WhenAny(output.Task, Task.Delay(TimeSpan.FromSeconds(2), ct)).ConfigureAwait(false);
            if (!output.Task.IsCompleted)
            {
                // A background child of the command still holds the terminal: end the session's processes so the
                // last slave descriptor closes and the reader sees EIO.
                Native.Kill(-pid, Native.SIGKILL);
                await Task.WhenAny(output.Task, Task.Delay(TimeSpan.FromSeconds(2), ct)).ConfigureAwait(false);
            }
            done.Cancel();
            try { await input.ConfigureAwait(false); } catch (OperationCanceledException) { }
            await stream.WriteOutputAsync(new ExecOutput(Stdout: new ExecStreamData(Close: true)), ct).ConfigureAwait(false);
            return code;
        }
        finally
        {
            Release();
        }
    }

    /// <summary>
    /// Opens the multiplexer of the devpts instance under <paramref name="root"/> and unlocks a new pty on it; the
    /// slave's path (under <paramref name="root"/>) comes back in <paramref name="slave"/>. -1 if there is none.
    /// </summary>
    private static unsafe int OpenInstance(string root, out string slave)
    {
        slave = "";
        int master = open(root + "/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        if (master < 0) return -1;
        int n, unlock = 0;
        if (ioctl(master, TIOCGPTN, &n) != 0 || ioctl(master, TIOCSPTLCK, &unlock) != 0) { close(master); return -1; }
        slave = $"{root}/dev/pts/{n}";
        return master;
    }

    private static unsafe string SlavePath(int master)
    {
        if (grantpt(master) != 0 || unlockpt(master) != 0)
            throw new IOException($"exec: cannot unlock the pseudo-terminal (errno {Marshal.GetLastPInvokeError()})");
        var buf = stackalloc byte[128];
        if (ptsname_r(master, buf, 128) != 0) throw new IOException("exec: cannot name the pseudo-terminal");
        return Marshal.PtrToStringUTF8((nint)buf)!;
    }

    private static unsafe void Resize(int master, ExecTtySize size)
    {
        var ws = new WinSize { Rows = (ushort)Math.Clamp(size.Height, 1, ushort.MaxValue), Cols = (ushort)Math.Clamp(size.Width, 1, ushort.MaxValue) };
        ioctl(master, TIOCSWINSZ, &ws);
    }

    private static unsafe int Spawn(string exe, List<string> argv, List<string> envp, string cwd, string slave)
    {
        var strings = new List<nint>();
        nint Str(string s) { var p = Marshal.StringToCoTaskMemUTF8(s); strings.Add(p); return p; }
        var fa = stackalloc byte[256];   // posix_spawn_file_actions_t is 80 bytes on x86_64 glibc
        var attr = stackalloc byte[512]; // posix_spawnattr_t is 336
        var sigs = stackalloc byte[128]; // sigset_t
        var argvP = stackalloc byte*[argv.Count + 1];
        var envP = stackalloc byte*[envp.Count + 1];
        try
        {
            for (int i = 0; i < argv.Count; i++) argvP[i] = (byte*)Str(argv[i]);
            argvP[argv.Count] = null;
            for (int i = 0; i < envp.Count; i++) envP[i] = (byte*)Str(envp[i]);
            envP[envp.Count] = null;
            posix_spawn_file_actions_init(fa);
            posix_spawnattr_init(attr);
            // New session first (glibc runs setsid before the file actions): opening the slave then makes it the
            // session's controlling terminal.
            posix_spawn_file_actions_addopen(fa, 0, (byte*)Str(slave), O_RDWR, 0);
            posix_spawn_file_actions_adddup2(fa, 0, 1);
            posix_spawn_file_actions_adddup2(fa, 0, 2);
            posix_spawn_file_actions_addchdir_np(fa, (byte*)Str(cwd));
            posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
            sigemptyset(sigs);
            posix_spawnattr_setsigmask(attr, sigs);
            sigaddset(sigs, SIGPIPE); // .NET ignores SIGPIPE; the command must not inherit that
            posix_spawnattr_setsigdefault(attr, sigs);
            int pid;
            int rc = posix_spawn(&pid, argvP[0], fa, attr, argvP, envP);
            if (rc != 0) throw new IOException($"exec: cannot start {exe} (errno {rc})");
            return pid;
        }
        finally
        {
            posix_spawn_file_actions_destroy(fa);
            posix_spawnattr_destroy(attr);
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>Blocks until the child exits: its exit code, or 128 + the signal that killed it.</summary>
    private static unsafe int Wait(int pid)
    {
        int status;
        while (waitpid(pid, &status, 0) < 0)
            if (Marshal.GetLastPInvokeError() != EINTR) return -1;
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    private static unsafe void CopyOutput(int master, IExecStream stream, TaskCompletionSource done, CancellationToken ct)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                nint n;
                fixed (byte* b = buffer) n = read(master, b, (nuint)buffer.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
                if (n <= 0) break; // EIO: no slave is open any more
                stream.WriteOutputAsync(new ExecOutput(Stdout: new ExecStreamData(buffer[..(int)n])), ct).AsTask().GetAwaiter().GetResult();
            }
        }
        catch (Exception) { } // the session ended
        finally { done.TrySetResult(); }
    }

    private static async Task CopyInputAsync(int master, IExecStream stream, CancellationToken ct)
    {
        while (await stream.ReadInputAsync(ct).ConfigureAwait(false) is { } input)
        {
            if (input.TtySize is { } size) Resize(master, size);
            if (input.Stdin?.Data is { Length: > 0 } data) WriteAll(master, data);
            if (input.Stdin?.Close == true) WriteAll(master, [EndOfTransmission]);
        }
    }

    private static unsafe void WriteAll(int fd, byte[] data)
    {
        fixed (byte* b = data)
            for (int off = 0; off < data.Length;)
            {
                var n = write(fd, b + off, (nuint)(data.Length - off));
                if (n < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
                if (n <= 0) return;
                off += (int)n;
            }
    }
}
