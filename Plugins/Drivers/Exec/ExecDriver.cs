using System.Text.Json;
using Nomad.Contracts;
using Nomad.Drivers.Shared;

namespace Nomad.Drivers.Exec;

/// <summary>
/// Nomad's exec driver: raw_exec's shim-based task management (<see cref="ShimDriver"/>) plus isolation. The task
/// runs chrooted in its task directory (chroot_env bound read-only, alloc/ shared, secrets/ and a minimal /dev), in
/// new PID, mount, IPC and UTS namespaces, as its <c>user</c> (default nobody), inside per-task cgroups that limit
/// memory, CPU shares and process count. The shim does the namespace/chroot/user work (Executor/Isolation.cs); this
/// class makes and removes the cgroups, kills through them and reads stats from them.
/// </summary>
public sealed class ExecDriver(IDriverHost host) : ShimDriver(host)
{
    private ExecPluginConfig _config = ExecPluginConfig.Default;
    private readonly Lazy<Cgroups?> _cgroups = new(Cgroups.Detect);
    private readonly Lazy<double> _cpuMHz = new(ProcFs.CpuMHz);

    protected override string Name => "exec";
    protected override string FSIsolation => "chroot";

    [System.Runtime.InteropServices.DllImport("libc")] private static extern uint geteuid();

    protected override List<string> ApplyConfig(JsonElement config)
    {
        var (parsed, errors) = ExecPluginConfig.Parse(config);
        if (parsed is not null) _config = parsed;
        return errors;
    }

    protected override DriverFingerprint Fingerprint() =>
        CannotStart() is { } why ? new(DriverHealth.Undetected, why, new()) : ShimFingerprint();

    protected override string? CannotStart()
    {
        if (geteuid() != 0) return "exec driver must run as root";
        if (_cgroups.Value is null) return "no cgroup mount";
        return null;
    }

    protected override (object? Spec, string[] Cgroups) PrepareIsolation(TaskConfig task, string stateDir)
    {
        if (task.TaskDir.Length == 0) throw new ArgumentException("exec: the task has no task directory to chroot into");
        // The state dir (spec.json holds the task's environment) is inside the chroot: root only.
        foreach (var d in new[] { Path.GetDirectoryName(stateDir)!, stateDir })
            File.SetUnixFileMode(d, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cg = _cgroups.Value!;
        var name = Path.GetFileName(stateDir); // the task ID made safe for a path
        var (dirs, memory) = cg.Create(name, task.Resources, _config.PidsLimit);
        var spec = new
        {
            Root = task.TaskDir,
            AllocDir = task.AllocDir.Length > 0 ? Path.Combine(task.AllocDir, "alloc") : "",
            ChrootEnv = _config.ChrootEnv.Where(d => Path.Exists(d)).ToList(),
            User = task.User.Length > 0 ? task.User : "nobody",
            Cgroups = dirs,
            MemoryCgroup = memory,
            CgroupVersion = cg.Version,
            Hostname = task.Name,
            Mounts = task.Mounts.Select(m => new { m.HostPath, m.TaskPath, m.ReadOnly }).ToList(),
        };
        return (spec, dirs);
    }

    /// <summary>
    /// ExecTask runs the command inside the task: <c>sh</c> moves itself into the task's cgroups, then execs
    /// util-linux <c>nsenter</c> into the task's mount, PID, IPC and UTS namespaces, its root (the chroot) and cwd,
    /// as its user with no supplementary groups.
    /// </summary>
    /// <summary>state.Pid is the isolation stage (our PID namespace); the task, PID 1 of its own, is its only child (0: none).</summary>
    private static int TaskPid(ShimTaskState state) =>
        ProcFs.Descendants(state.Pid).FirstOrDefault(p => ProcFs.Stat(p)?.PPid == state.Pid);

    /// <summary>The task's root as the host sees it: its /dev/pts is the devpts instance the isolation stage mounted.</summary>
    protected override string? PtyRoot(ShimTaskState state) => TaskPid(state) is > 0 and var pid ? $"/proc/{pid}/root" : null;

    protected override (string File, List<string> Args)? ExecInside(ShimTaskState state, TaskConfig task, string[] command)
    {
        var taskPid = TaskPid(state);
        if (taskPid <= 0) throw new InvalidOperationException($"exec: task {task.ID} has no running process to enter");
        var (uid, gid) = LookupUser(task.User.Length > 0 ? task.User : "nobody");
        // Cgroup paths hold only [A-Za-z0-9._/-] (the task ID is sanitised), so single quotes are enough.
        var dirs = string.Join(' ', state.Cgroups.Select(d => $"'{d}'"));
        var args = new List<string>
        {
            "-c", $"for d in {dirs}; do echo $$ > \"$d/cgroup.procs\" || exit 126; done; exec nsenter \"$@\"", "nomad-exec",
            $"--target={taskPid}", "--mount", "--pid", "--ipc", "--uts", "--root", "--wd", $"--setuid={uid}", $"--setgid={gid}", "--",
        };
        args.AddRange(command);
        return ("/bin/sh", args);
    }

    private static (uint Uid, uint Gid) LookupUser(string user)
    {
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length >= 4 && (f[0] == user || f[2] == user)) return (uint.Parse(f[2]), uint.Parse(f[3]));
        }
        throw new ArgumentException($"exec: user {user}: no such user");
    }

    protected override void KillRemains(ShimTaskState state) => Cgroups.Kill(state.Cgroups);

    protected override void ReleaseIsolation(ShimTaskState state) => Cgroups.Remove(state.Cgroups);

    protected override TaskResourceUsage? CgroupStats(ShimTaskState state, ref (DateTime At, ulong User, ulong Sys)? last)
    {
        if (Cgroups.Stats(state.Cgroups) is not { } s) return null;
        var now = DateTime.UtcNow;
        var (prevAt, prevUser, prevSys) = last ?? (state.StartedAt, 0UL, 0UL);
        var secs = Math.Max(1e-3, (now - prevAt).TotalSeconds);
        double pctUser = (s.UserNs >= prevUser ? s.UserNs - prevUser : 0) / 1e9 / secs * 100;
        double pctSys = (s.SysNs >= prevSys ? s.SysNs - prevSys : 0) / 1e9 / secs * 100;
        last = (now, s.UserNs, s.SysNs);
        double pct = pctUser + pctSys;
        return new TaskResourceUsage(s.Rss, s.Cache, s.Swap, s.MaxUsage, pct, pctUser, pctSys,
            pct / 100 * _cpuMHz.Value, s.Throttled, (now - DateTime.UnixEpoch).Ticks * 100);
    }
}
