namespace Nomad.Executor;

/// <summary>
/// The hook where the exec driver will add isolation (user, chroot, namespaces, cgroups). raw_exec runs the
/// task as the agent's user with the host's filesystem, so <see cref="Spec.User"/> is ignored here.
/// posix_spawn cannot change user or root: when exec lands, the shim will spawn itself in a second stage that
/// does unshare → mount → chroot → setgid/setuid → execve on one thread, and this method will choose it.
/// </summary>
internal static class Isolation
{
    /// <summary>Returns the program to spawn and its arguments (unchanged for raw_exec).</summary>
    public static (string Path, Spec Spec) Prepare(string resolvedPath, Spec spec) => (resolvedPath, spec);
}
