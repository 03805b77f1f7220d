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

    /// <summary>Spawns <paramref name="path"/> for the task's spec; returns its pid, or throws with the errno text.</summary>
    public static int Spawn(string path, Spec spec, int stdoutFd, int stderrFd)
    {
        var argv = new List<string>(spec.Args.Count + 1) { spec.Command };
        argv.AddRange(spec.Args);
        var env = new List<string>(spec.Env.Count);
        foreach (var kv in spec.Env) env.Add(kv.Key + "=" + kv.Value);
        return Spawn(path, argv, env, spec.Cwd, stdoutFd, stderrFd, statusFd: -1, newGroup: true, what: spec.Command);
    }

    /// <summary>
    /// posix_spawn with every signal at its default and none blocked. With <paramref name="stdoutFd"/> ≥ 0: stdin
    /// <c>/dev/null</c> and stdout/stderr on the given fds (else all three inherited). <paramref name="statusFd"/> ≥ 0
    /// becomes fd 3 (the isolation stages report start errors on it). <paramref name="newGroup"/>: a process group of its own.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, string cwd,
        int stdoutFd, int stderrFd, int statusFd, bool newGroup, string what)
    {
        var toFree = new List<nint>();
        byte* P(string s) { var p = Libc.Utf8(s); toFree.Add((nint)p); return p; }

        // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128: leave room.
        byte* fa = stackalloc byte[256];
        byte* attr = stackalloc byte[512];
        byte* sigs = stackalloc byte[256];
        var argv = (byte**)Marshal.AllocHGlobal(sizeof(nint) * (args.Count + 1));
        var envp = (byte**)Marshal.AllocHGlobal(sizeof(nint) * (env.Count + 1));
        toFree.Add((nint)argv); toFree.Add((nint)envp);
        try
        {
            for (int i = 0; i < args.Count; i++) argv[i] = P(args[i]);
            argv[args.Count] = null;
            for (int i = 0; i < env.Count; i++) envp[i] = P(env[i]);
            envp[env.Count] = null;

            Check(Libc.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init");
            Check(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try
            {
                if (stdoutFd >= 0)
                {
                    Check(Libc.posix_spawn_file_actions_addopen(fa, 0, P("/dev/null"), Libc.O_RDONLY, 0), "addopen");
                    Check(Libc.posix_spawn_file_actions_adddup2(fa, stdoutFd, 1), "adddup2");
                    Check(Libc.posix_spawn_file_actions_adddup2(fa, stderrFd, 2), "adddup2");
                }
                if (statusFd >= 0) Check(Libc.posix_spawn_file_actions_adddup2(fa, statusFd, 3), "adddup2");
                if (cwd.Length > 0) Check(Libc.posix_spawn_file_actions_addchdir_np(fa, P(cwd)), "addchdir");

                short flags = Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF;
                // Own process group (pgid = task pid) so a stop reaches the task and everything it forks.
                if (newGroup) { Check(Libc.posix_spawnattr_setpgroup(attr, 0), "setpgroup"); flags |= Libc.POSIX_SPAWN_SETPGROUP; }
                // Nothing blocked, every signal at its default: the runtime ignores SIGPIPE, the task must not.
                Libc.sigemptyset(sigs);
                Check(Libc.posix_spawnattr_setsigmask(attr, sigs), "setsigmask");
                Libc.sigfillset(sigs);
                Check(Libc.posix_spawnattr_setsigdefault(attr, sigs), "setsigdefault");
                Check(Libc.posix_spawnattr_setflags(attr, flags), "setflags");

                int pid;
                int rc = Libc.posix_spawn(&pid, P(path), fa, attr, argv, envp);
                if (rc != 0) throw new IOException($"failed to start {what}: {Libc.StrError(rc)}");
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
