using System.Collections.Immutable;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>
/// One immutable version of the server state. Readers hold a snapshot for as long as they like;
/// the FSM publishes a new one per applied command, so reads never block writes.
/// </summary>
public sealed record StateSnapshot
{
    public static readonly StateSnapshot Empty = new();

    /// <summary>
    /// A trial copy (job plan's dry run), never the servers' state: scheduling caches neither read nor store it,
    /// since its indexes collide with the real ones it has not reached yet.
    /// </summary>
    public bool Trial { get; init; }

    /// <summary>The Raft index of the last command applied.</summary>
    public ulong Index { get; init; }

    public ImmutableSortedDictionary<string, Node> Nodes { get; init; } = ImmutableSortedDictionary<string, Node>.Empty;

    /// <summary>Jobs by ID (one namespace, "default").</summary>
    public ImmutableSortedDictionary<string, Job> Jobs { get; init; } = ImmutableSortedDictionary<string, Job>.Empty;

    public ImmutableSortedDictionary<string, Evaluation> Evals { get; init; } = ImmutableSortedDictionary<string, Evaluation>.Empty;

    public ImmutableSortedDictionary<string, Allocation> Allocs { get; init; } = ImmutableSortedDictionary<string, Allocation>.Empty;

    /// <summary>Periodic jobs' last launches by job ID (Nomad's periodic_launch table).</summary>
    public ImmutableSortedDictionary<string, PeriodicLaunch> PeriodicLaunches { get; init; } = ImmutableSortedDictionary<string, PeriodicLaunch>.Empty;

    /// <summary>
    /// Each job's tracked versions, newest first (Nomad's job_version table, at most <see cref="JobTrackedVersions"/>):
    /// every register that changes the job, and a stop, records the stored job here as well.
    /// </summary>
    public ImmutableDictionary<string, ImmutableList<Job>> JobVersions { get; init; } = ImmutableDictionary<string, ImmutableList<Job>>.Empty;

    /// <summary>Nomad's JobTrackedVersions: how many versions of a job are kept.</summary>
    public const int JobTrackedVersions = 6;

    /// <summary>Deployments by ID.</summary>
    public ImmutableSortedDictionary<string, Deployment> Deployments { get; init; } = ImmutableSortedDictionary<string, Deployment>.Empty;

    /// <summary>Secondary indexes, kept by <see cref="StateApplier"/>: allocation IDs by node and by job, eval IDs by job.</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> AllocsByNode { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;
    public ImmutableDictionary<string, ImmutableHashSet<string>> AllocsByJob { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;
    public ImmutableDictionary<string, ImmutableHashSet<string>> EvalsByJob { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;
    public ImmutableDictionary<string, ImmutableHashSet<string>> DeploymentsByJob { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

    /// <summary>Child job IDs (dispatched or periodic launches) by their parent's ID, for the parent's children summary.</summary>
    public ImmutableDictionary<string, ImmutableHashSet<string>> JobsByParent { get; init; } = ImmutableDictionary<string, ImmutableHashSet<string>>.Empty;

    /// <summary>
    /// The index at which anything about each node's allocations last changed (placed, stopped, updated by the
    /// client, collected). Lets the scheduler reuse what it derived from a node's allocations until they change.
    /// </summary>
    public ImmutableDictionary<string, ulong> AllocsChangedByNode { get; init; } = ImmutableDictionary<string, ulong>.Empty;

    /// <summary>The operator's scheduler settings; null until first set (then Nomad's defaults apply).</summary>
    public SchedulerConfiguration? SchedulerConfig { get; init; }

    /// <summary>The scheduler settings in force.</summary>
    public SchedulerConfiguration SchedulerConfigOrDefault => SchedulerConfig ?? DefaultSchedulerConfig;

    private static readonly SchedulerConfiguration DefaultSchedulerConfig = new();

    /// <summary>The index at which each table last changed, for blocking queries (X-Nomad-Index).</summary>
    public ImmutableDictionary<string, ulong> TableIndexes { get; init; } = ImmutableDictionary<string, ulong>.Empty;

    public ulong TableIndex(string table) => TableIndexes.TryGetValue(table, out var i) ? i : 0;

    /// <summary>See <see cref="AllocsChangedByNode"/>; 0 when nothing changed since the snapshot was loaded.</summary>
    public ulong AllocsChangedIndex(string nodeId) => AllocsChangedByNode.TryGetValue(nodeId, out var i) ? i : 0;

    /// <summary>The highest index of several tables (for endpoints that read more than one).</summary>
    public ulong TableIndex(params string[] tables) => tables.Max(TableIndex);

    public Node? NodeById(string id) => Nodes.TryGetValue(id, out var n) ? n : null;

    /// <summary>Nodes whose ID starts with <paramref name="prefix"/> (case-insensitive, as Nomad's prefix match on UUIDs).</summary>
    public IEnumerable<Node> NodesByPrefix(string prefix) =>
        Nodes.Values.Where(n => n.ID.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    public Job? JobById(string id) => Jobs.TryGetValue(id, out var j) ? j : null;

    public IEnumerable<Job> JobsByPrefix(string prefix) => Jobs.Values.Where(j => j.ID.StartsWith(prefix, StringComparison.Ordinal));

    public PeriodicLaunch? PeriodicLaunchById(string jobId) => PeriodicLaunches.TryGetValue(jobId, out var l) ? l : null;

    /// <summary>The jobs a periodic job launched: <c>&lt;id&gt;/periodic-*</c> whose ParentID is it.</summary>
    public IEnumerable<Job> PeriodicChildren(string parentId) =>
        JobsByPrefix(parentId + PeriodicLaunch.Suffix).Where(j => j.ParentID == parentId);

    /// <summary>A job's tracked versions, newest first.</summary>
    public IReadOnlyList<Job> JobVersionsOf(string jobId) => JobVersions.TryGetValue(jobId, out var v) ? v : [];

    /// <summary>One tracked version of a job, or null when it is not (or no longer) kept.</summary>
    public Job? JobVersion(string jobId, ulong version) => JobVersionsOf(jobId).FirstOrDefault(j => j.Version == version);

    public Deployment? DeploymentById(string id) => Deployments.TryGetValue(id, out var d) ? d : null;

    public IEnumerable<Deployment> DeploymentsByPrefix(string prefix) =>
        Deployments.Values.Where(d => d.ID.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<Deployment> DeploymentsForJob(string jobId) => Lookup(DeploymentsByJob, jobId, Deployments);

    /// <summary>The job's most recently created deployment (Nomad's LatestDeploymentByJobID), or null.</summary>
    public Deployment? LatestDeployment(string jobId) =>
        DeploymentsForJob(jobId).OrderByDescending(d => d.CreateIndex).FirstOrDefault();

    public Evaluation? EvalById(string id) => Evals.TryGetValue(id, out var e) ? e : null;

    public IEnumerable<Evaluation> EvalsByPrefix(string prefix) =>
        Evals.Values.Where(e => e.ID.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    public Allocation? AllocById(string id) => Allocs.TryGetValue(id, out var a) ? a : null;

    public IEnumerable<Allocation> AllocsByPrefix(string prefix) =>
        Allocs.Values.Where(a => a.ID.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every allocation on a node, terminal ones included.</summary>
    public IEnumerable<Allocation> AllocsForNode(string nodeId) => Lookup(AllocsByNode, nodeId, Allocs);

    /// <summary>Every allocation of a job, terminal ones included.</summary>
    public IEnumerable<Allocation> AllocsForJob(string jobId) => Lookup(AllocsByJob, jobId, Allocs);

    public IEnumerable<Evaluation> EvalsForJob(string jobId) => Lookup(EvalsByJob, jobId, Evals);

    /// <summary>The jobs whose ParentID is <paramref name="parentId"/>.</summary>
    public IEnumerable<Job> ChildJobs(string parentId) => Lookup(JobsByParent, parentId, Jobs);

    private static IEnumerable<T> Lookup<T>(ImmutableDictionary<string, ImmutableHashSet<string>> index, string key,
        ImmutableSortedDictionary<string, T> table) =>
        index.TryGetValue(key, out var ids) ? ids.Select(id => table[id]) : [];
}

/// <summary>Table names for <see cref="StateSnapshot.TableIndexes"/> and blocking queries.</summary>
public static class Tables
{
    public const string Nodes = "nodes";
    public const string Jobs = "jobs";
    public const string Evals = "evals";
    public const string Allocs = "allocs";
    public const string SchedulerConfig = "scheduler_config";
    public const string PeriodicLaunch = "periodic_launch";
    public const string Deployments = "deployment";
    public const string JobVersion = "job_version";
}
