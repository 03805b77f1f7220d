using System.Runtime.InteropServices;

namespace Nomad.Executor;

/// <summary>Starts the task with posix_spawn: its own process group, stdio on our pipes, default signal dispositions.</summary>
internal static unsafe class Spawner
{
    /// <summary>
    /// Finds the program as Nomad's executor does: a path with a slash is taken as is (relative to the task's
    /// directory); a bare name is looked for in <c>cwd/local</c>, <c>cwd</c>, then the task's PATH, then ours.
    /// </summary>
    public static string? Resolve(string command, string cwd, string? taskPath)
    {
        if (command.Contains('/'))
        {
            var p = Path.IsPathRooted(command) ? command : Path.GetFullPath(Path.Combine(cwd, command));
            return Libc.IsExecutable(p) ? p : null;
        }
        var dirs = new List<string>();
        if (cwd.Length > 0) { dirs.Add(Path.Combine(cwd, "local")); dirs.Add(cwd); }
        foreach (var path in new[] { taskPath, Environment.GetEnvironmentVariable("PATH") })
            if (!string.IsNullOrEmpty(path)) dirs.AddRange(path.Split(':', StringSplitOptions.RemoveEmptyEntries));
        foreach (var d in dirs)
        {
            var p = Path.Combine(d, command);
            if (Libc.IsExecutable(p)) return p;
        }
        return null;
    }

    /// <summary>Spawns <paramref name="path"/>; returns its pid, or throws with the errno text.</summary>
    public static int Spawn(string path, Spec spec, int stdoutFd, int stderrFd)
    {
        var toFree = new List<nint>();
        byte* P(string s) { var p = Libc.Utf8(s); toFree.Add((nint)p); return p; }

        // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: leave room.
        byte* fa = stackalloc byte[256];
        byte* attr = stackalloc byte[512];
        byte* sigs = stackalloc byte[256];
        var argv = (byte**)Marshal.AllocHGlobal(sizeof(nint) * (spec.Args.Count + 2));
        var envp = (byte**)Marshal.AllocHGlobal(sizeof(nint) * (spec.Env.Count + 1));
        toFree.Add((nint)argv); toFree.Add((nint)envp);
        try
        {
            argv[0] = P(spec.Command);
            for (int i = 0; i < spec.Args.Count; i++) argv[i + 1] = P(spec.Args[i]);
            argv[spec.Args.Count + 1] = null;
            for (int i = 0; i < spec.Env.Count; i++) envp[i] = P(spec.Env[i].Key + "=" + spec.Env[i].Value);
            envp[spec.Env.Count] = null;

            Check(Libc.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init");
            Check(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try
            {
                Check(Libc.posix_spawn_file_actions_addopen(fa, 0, P("/dev/null"), Libc.O_RDONLY, 0), "addopen");
                Check(Libc.posix_spawn_file_actions_adddup2(fa, stdoutFd, 1), "adddup2");
                Check(Libc.posix_spawn_file_actions_adddup2(fa, stderrFd, 2), "adddup2");
                if (spec.Cwd.Length > 0) Check(Libc.posix_spawn_file_actions_addchdir_np(fa, P(spec.Cwd)), "addchdir");

                // Own process group (pgid = task pid) so a stop reaches the task and everything it forks.
                Check(Libc.posix_spawnattr_setpgroup(attr, 0), "setpgroup");
                // Nothing blocked, every signal at its default: the runtime ignores SIGPIPE, the task must not.
                Libc.sigemptyset(sigs);
                Check(Libc.posix_spawnattr_setsigmask(attr, sigs), "setsigmask");
                Libc.sigfillset(sigs);
                Check(Libc.posix_spawnattr_setsigdefault(attr, sigs), "setsigdefault");
                Check(Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETPGROUP | Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF), "setflags");

                int pid;
                int rc = Libc.posix_spawn(&pid, P(path), fa, attr, argv, envp);
                if (rc != 0) throw new IOException($"failed to start {spec.Command}: {Libc.StrError(rc)}");
                return pid;
            }
            finally
            {
                Libc.posix_spawn_file_actions_destroy(fa);
                Libc.posix_spawnattr_destroy(attr);
            }
        }
        finally
        {
            foreach (var p in toFree) Marshal.FreeHGlobal(p);
        }
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0) throw new IOException($"{what}: {Libc.StrError(rc)}");
    }
}
