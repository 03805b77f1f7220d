namespace Nomad.Agent.Structs;

/// <summary>
/// Nomad's PeriodicLaunch row: a periodic job's last launch, so a new leader neither launches twice nor misses a
/// launch that fell due while leadership changed. Until the first launch it holds the time the job was registered.
/// </summary>
/// <param name="Launch">Unix nanoseconds.</param>
public sealed record PeriodicLaunch(string ID, string Namespace, long Launch)
{
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    /// <summary>Nomad's PeriodicLaunchSuffix: a launched child is <c>&lt;parent&gt;/periodic-&lt;unix seconds&gt;</c>.</summary>
    public const string Suffix = "/periodic-";

    public static string ChildId(string parentId, DateTimeOffset launch) => $"{parentId}{Suffix}{launch.ToUnixTimeSeconds()}";

    /// <summary>The launch time a child's ID carries (Nomad's LaunchTime), in Unix nanoseconds; null when it carries none.</summary>
    public static long? LaunchTimeOf(string childId)
    {
        var at = childId.LastIndexOf(Suffix, StringComparison.Ordinal);
        return at >= 0 && long.TryParse(childId.AsSpan(at + Suffix.Length), out var seconds) ? seconds * 1_000_000_000 : null;
    }

    /// <summary>Nomad's IsPeriodicActive: a periodic, enabled, not stopped, not parameterized job, which the leader launches.</summary>
    public static bool IsActive(Job job) => job.Periodic is { Enabled: true } && !job.Stop && !job.IsParameterized;
}
