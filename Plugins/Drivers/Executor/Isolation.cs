using System.Runtime.InteropServices;

namespace Nomad.Executor;

/// <summary>
/// The exec driver's isolation, done natively by two more stages of this same program (posix_spawn cannot
/// change namespaces, root or user, and fork is unsafe in a .NET process):
/// <list type="number">
/// <item><c>nomad-executor --isolate SPEC</c>, spawned by the shim in the task's process group with the task's
/// stdout/stderr: looks up the user, lays out the chroot (local/, secrets/, tmp/, alloc/, proc/, dev/), then on its
/// one thread unshare(NEWPID|NEWNS|NEWIPC|NEWUTS) → mount / private → bind the chroot_env dirs read-only, the
/// shared alloc dir, a tmpfs /dev with null/zero/random/urandom/tty bound in (and secrets/ as a 0700 tmpfs when
/// empty) → posix_spawn stage 3, which is PID 1 of the new PID namespace. It ignores the signals a stop sends
/// (the task gets them too, through the process group), waits for the task and exits the way it did (same code,
/// or killed by the same signal), so the shim sees the task's real status.</item>
/// <item><c>nomad-executor --init SPEC UID GID</c>, PID 1 in the new namespaces: mounts /proc of the new PID
/// namespace inside the chroot → joins the task's cgroups → chroot → chdir / → setgroups([]) → setgid → setuid →
/// execve the task (which stays PID 1: when it exits, the kernel kills everything else in the namespace).</item>
/// </list>
/// Start errors of either stage go back to the shim on fd 3 (a CLOEXEC pipe: EOF without a message means the
/// task's execve succeeded), so StartTask fails with the reason instead of a task that exits 127.
/// </summary>
internal static unsafe class Isolation
{
    public const string IsolateFlag = "--isolate", InitFlag = "--init";
    private const int StatusFd = 3;
    private static readonly string[] DevNodes = ["null", "zero", "random", "urandom", "tty"];

    /// <summary>Stage 2. Never returns normally: exits as the task did.</summary>
    public static int RunIsolate(string specPath)
    {
        // A stop's SIGINT/SIGTERM reaches our process group: the task must get it, we must outlive the task to report it.
        foreach (var sig in new[] { 1, 2, 3, 10, 12, 13, 14, 15, 20, 21, 22, 28 }) Libc.signal(sig, 1 /* SIG_IGN */);
        Spec spec;
        IsolationSpec iso;
        uint uid, gid;
        string root;
        try
        {
            spec = Spec.Load(specPath);
            iso = spec.Isolation ?? throw new InvalidDataException("spec has no Isolation");
            (uid, gid) = LookupUser(iso.User);
            root = Path.GetFullPath(iso.Root);
            Layout(root, iso, uid, gid);
        }
        catch (Exception e) { return Fail(e.Message); }

        // Everything the namespace steps need is allocated now: after unshare(NEWPID) this thread may not create threads.
        var self = Environment.ProcessPath ?? "/proc/self/exe";
        var plan = new List<(string Src, string Dst, string? FsType, ulong Flags, string? Data, bool ReadOnly)>();
        foreach (var dir in iso.ChrootEnv)
        {
            var dst = root + dir;
            if (Directory.Exists(dst) && new DirectoryInfo(dst).LinkTarget is null) plan.Add((dir, dst, null, Libc.MS_BIND | Libc.MS_REC, null, true));
        }
        if (iso.AllocDir.Length > 0 && Directory.Exists(iso.AllocDir)) plan.Add((iso.AllocDir, root + "/alloc", null, Libc.MS_BIND | Libc.MS_REC, null, false));
        // volume_mounts last, so that one below /alloc lands on the bound alloc dir, not under it.
        foreach (var (hostPath, taskPath, readOnly) in iso.Mounts)
            plan.Add((hostPath, root + taskPath, null, Libc.MS_BIND | Libc.MS_REC, null, readOnly));
        if (IsEmptyDir(root + "/secrets"))
            plan.Add(("tmpfs", root + "/secrets", "tmpfs", Libc.MS_NOSUID | Libc.MS_NODEV, $"mode=0700,uid={uid},gid={gid},size=1m", false));
        plan.Add(("tmpfs", root + "/dev", "tmpfs", Libc.MS_NOSUID, "mode=0755,size=64k", false));

        if (Libc.unshare(Libc.CLONE_NEWPID | Libc.CLONE_NEWNS | Libc.CLONE_NEWIPC | Libc.CLONE_NEWUTS) < 0) return Fail($"unshare: {Libc.StrError(Libc.Errno)}");
        if (Mount(null, "/", null, Libc.MS_REC | Libc.MS_PRIVATE, null) is { } e1) return Fail(e1);
        foreach (var m in plan)
        {
            // A volume's mount point is made now, once the mounts before it are in place: one below /alloc must be
            // made in the bound alloc dir, not in the chroot's empty alloc/ the bind hides.
            if (iso.IsVolumeMount(m.Src, m.Dst, root) is { } isDir && MakeMountPoint(m.Dst, isDir) is { } e0) return Fail(e0);
            if (Mount(m.Src, m.Dst, m.FsType, m.Flags, m.Data) is { } e2) return Fail(e2);
            if (m.ReadOnly && Mount(null, m.Dst, null, Libc.MS_BIND | Libc.MS_REMOUNT | Libc.MS_RDONLY | Libc.MS_REC, null) is { } e3) return Fail(e3);
        }
        try
        {
            foreach (var n in DevNodes)
            {
                if (!File.Exists("/dev/" + n)) continue;
                File.WriteAllBytes($"{root}/dev/{n}", []);
                if (Mount("/dev/" + n, $"{root}/dev/{n}", null, Libc.MS_BIND, null) is { } e4) return Fail(e4);
            }
            File.CreateSymbolicLink(root + "/dev/fd", "/proc/self/fd");
            File.CreateSymbolicLink(root + "/dev/stdin", "/proc/self/fd/0");
            File.CreateSymbolicLink(root + "/dev/stdout", "/proc/self/fd/1");
            File.CreateSymbolicLink(root + "/dev/stderr", "/proc/self/fd/2");
            Directory.CreateDirectory(root + "/dev/shm");
            // A devpts instance of the task's own, so a terminal opened inside (alloc exec -t) has a name under
            // /dev/pts; /dev/ptmx points at this instance's multiplexer, not the host's.
            Directory.CreateDirectory(root + "/dev/pts");
            if (Mount("devpts", root + "/dev/pts", "devpts", Libc.MS_NOSUID | Libc.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5") is { } e5) return Fail(e5);
            File.CreateSymbolicLink(root + "/dev/ptmx", "pts/ptmx");
        }
        catch (Exception e) { return Fail($"/dev: {e.Message}"); }
        if (iso.Hostname.Length > 0)
        {
            var h = Libc.Utf8(iso.Hostname);
            Libc.sethostname(h, (nuint)System.Text.Encoding.UTF8.GetByteCount(iso.Hostname));
        }

        int pid;
        try
        {
            // Inherits our stdio, our process group and fd 3; it is PID 1 of the new PID namespace.
            pid = Spawner.Spawn(self, [self, InitFlag, specPath, uid.ToString(), gid.ToString()], [], "", -1, -1, -1, newGroup: false, what: "the isolation stage");
        }
        catch (Exception e) { return Fail(e.Message); }
        Libc.close(StatusFd); // the pipe now reaches EOF when the task's execve succeeds (or carries its error)

        CodeTrim.Run(); // from here this stage only waits, as long as the task runs (see CodeTrim)
        int st, w;
        do w = Libc.wait4(pid, &st, 0, null); while (w < 0 && Libc.Errno == Libc.EINTR);
        if (w != pid) { Libc._exit(255); return 255; }
        if ((st & 0x7f) == 0) { Libc._exit((st >> 8) & 0xff); return 0; }
        int signal = st & 0x7f;
        Libc.signal(signal, 0 /* SIG_DFL */);
        Libc.kill(Environment.ProcessId, signal);
        Libc._exit(128 + signal);
        return 128 + signal;
    }

    /// <summary>Stage 3, PID 1 of the new namespaces: /proc, cgroups, chroot, user, execve. Returns only on failure.</summary>
    public static int RunInit(string specPath, uint uid, uint gid)
    {
        Libc.fcntl(StatusFd, Libc.F_SETFD, Libc.FD_CLOEXEC);
        Spec spec;
        try { spec = Spec.Load(specPath); }
        catch (Exception e) { return Fail(e.Message); }
        var iso = spec.Isolation!;
        var root = Path.GetFullPath(iso.Root);
        if (Mount("proc", root + "/proc", "proc", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC, null) is { } e1) return Fail(e1);
        foreach (var cg in iso.Cgroups)
        {
            try { File.WriteAllText(Path.Combine(cg, "cgroup.procs"), "0\n"); }
            catch (Exception e) { return Fail($"joining cgroup {cg}: {e.Message}"); }
        }
        if (Call(root, p => Libc.chroot((byte*)p)) is { } e2) return Fail($"chroot {root}: {e2}");
        if (Call("/", p => Libc.chdir((byte*)p)) is { } e3) return Fail($"chdir /: {e3}");

        var taskPath = "";
        foreach (var kv in spec.Env) if (kv.Key == "PATH") taskPath = kv.Value;
        var exe = Spawner.Resolve(spec.Command, "/", taskPath.Length > 0 ? taskPath : "/usr/local/bin:/usr/bin:/bin");
        if (exe is null) return Fail($"failed to start {spec.Command}: executable file not found in the chroot");

        if (Libc.setgroups(0, null) < 0) return Fail($"setgroups: {Libc.StrError(Libc.Errno)}");
        if (Libc.setgid(gid) < 0) return Fail($"setgid {gid}: {Libc.StrError(Libc.Errno)}");
        if (Libc.setuid(uid) < 0) return Fail($"setuid {uid}: {Libc.StrError(Libc.Errno)}");

        var argv = (byte**)Marshal.AllocHGlobal(sizeof(nint) * (spec.Args.Count + 2));
        var envp = (byte**)Marshal.AllocHGlobal(sizeof(nint) * (spec.Env.Count + 1));
        argv[0] = Libc.Utf8(spec.Command);
        for (int i = 0; i < spec.Args.Count; i++) argv[i + 1] = Libc.Utf8(spec.Args[i]);
        argv[spec.Args.Count + 1] = null;
        for (int i = 0; i < spec.Env.Count; i++) envp[i] = Libc.Utf8(spec.Env[i].Key + "=" + spec.Env[i].Value);
        envp[spec.Env.Count] = null;
        Libc.execve(Libc.Utf8(exe), argv, envp);
        return Fail($"failed to start {spec.Command}: {Libc.StrError(Libc.Errno)}");
    }

    /// <summary>
    /// After the task was SIGKILLed: did the memory cgroup's OOM killer do it? v1 <c>memory.oom_control</c>'s
    /// <c>oom_kill</c> counter (or, on kernels without it, <c>memory.failcnt</c>); v2 <c>memory.events</c>.
    /// </summary>
    public static bool WasOomKilled(IsolationSpec? iso)
    {
        if (iso is null || iso.MemoryCgroup.Length == 0) return false;
        try
        {
            var file = iso.CgroupVersion == 2 ? "memory.events" : "memory.oom_control";
            foreach (var line in File.ReadLines(Path.Combine(iso.MemoryCgroup, file)))
                if (line.StartsWith("oom_kill ", StringComparison.Ordinal)) return long.Parse(line.AsSpan(9)) > 0;
            if (iso.CgroupVersion == 1) return long.Parse(File.ReadAllText(Path.Combine(iso.MemoryCgroup, "memory.failcnt")).Trim()) > 0;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>The chroot's directories, on the host filesystem (the mounts come later, in the new namespace).</summary>
    private static void Layout(string root, IsolationSpec iso, uint uid, uint gid)
    {
        Directory.CreateDirectory(root);
        foreach (var dir in iso.ChrootEnv)
        {
            if (!dir.StartsWith('/') || dir.Contains("..")) throw new InvalidDataException($"chroot_env: {dir}: must be an absolute path");
            var dst = root + dir;
            var info = new DirectoryInfo(dir);
            if (!info.Exists) continue;
            if (info.LinkTarget is { } target)
            {
                // /bin -> usr/bin (merged /usr): the same link inside, the target is bound on its own.
                if (!Path.Exists(dst) && new FileInfo(dst).LinkTarget is null) File.CreateSymbolicLink(dst, target);
            }
            else Directory.CreateDirectory(dst);
        }
        foreach (var d in new[] { "local", "secrets", "tmp", "alloc", "proc", "dev" }) Directory.CreateDirectory(Path.Combine(root, d));
        foreach (var (hostPath, taskPath, _) in iso.Mounts)
            if (!Path.Exists(hostPath)) throw new IOException($"volume mount {taskPath}: host path {hostPath} does not exist");
        File.SetUnixFileMode(root + "/tmp", (UnixFileMode)0b1_111_111_111); // 1777
        File.SetUnixFileMode(root + "/secrets", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var d in new[] { "local", "secrets" })
            if (Call(Path.Combine(root, d), p => Libc.chown((byte*)p, uid, gid)) is { } e) throw new IOException($"chown {d}: {e}");
    }

    /// <summary>A mount point of the kind bound onto it: a directory, or an empty file. Null when made.</summary>
    private static string? MakeMountPoint(string path, bool isDir)
    {
        try
        {
            if (isDir) Directory.CreateDirectory(path);
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                if (!File.Exists(path)) File.WriteAllBytes(path, []);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return $"volume mount point {path}: {e.Message}"; }
    }

    private static bool IsEmptyDir(string dir)
    {
        using var e = Directory.EnumerateFileSystemEntries(dir).GetEnumerator();
        return !e.MoveNext();
    }

    /// <summary>uid and gid of a user name (or numeric uid) from /etc/passwd.</summary>
    private static (uint Uid, uint Gid) LookupUser(string user)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length >= 4 && (f[0] == user || f[2] == user)) return (uint.Parse(f[2]), uint.Parse(f[3]));
        }
        if (uint.TryParse(user, out var id)) return (id, id);
        throw new InvalidDataException($"user {user}: no such user");
    }

    private static string? Mount(string? src, string dst, string? fstype, ulong flags, string? data)
    {
        byte* s = src is null ? null : Libc.Utf8(src), d = Libc.Utf8(dst), t = fstype is null ? null : Libc.Utf8(fstype), o = data is null ? null : Libc.Utf8(data);
        try
        {
            return Libc.mount(s, d, t, flags, o) == 0 ? null : $"mount {src ?? "(remount)"} on {dst}: {Libc.StrError(Libc.Errno)}";
        }
        finally
        {
            Marshal.FreeHGlobal((nint)s); Marshal.FreeHGlobal((nint)d); Marshal.FreeHGlobal((nint)t); Marshal.FreeHGlobal((nint)o);
        }
    }

    private static string? Call(string path, Func<nint, int> f)
    {
        var p = Libc.Utf8(path);
        try { return f((nint)p) == 0 ? null : Libc.StrError(Libc.Errno); }
        finally { Marshal.FreeHGlobal((nint)p); }
    }

    /// <summary>Reports a start error to the shim (fd 3) and to the task's stderr, then exits 127.</summary>
    private static int Fail(string message)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(message);
        Libc.WriteAll(StatusFd, bytes);
        Libc.WriteAll(2, System.Text.Encoding.UTF8.GetBytes($"nomad-executor: {message}\n"));
        Libc._exit(127);
        return 127;
    }
}
