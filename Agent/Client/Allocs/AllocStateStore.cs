using System.Text.Json;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>What the client remembers of one task of an allocation across its own restarts.</summary>
/// <param name="State">Nomad's TaskState, as reported to the servers.</param>
/// <param name="Attempt">The current run: the task's driver ID is <c>ALLOC/TASK/ATTEMPT</c>.</param>
/// <param name="RestartCount">Restarts in the current restart-policy interval.</param>
/// <param name="IntervalStart">When that interval began, Unix ns.</param>
public sealed record TaskLifecycleRecord(TaskState State, int Attempt, int RestartCount, long IntervalStart);

/// <summary>What the client remembers of one allocation: the servers' latest version and its tasks' progress.</summary>
public sealed record AllocRecord
{
    public required Allocation Alloc { get; init; }
    public Dictionary<string, TaskLifecycleRecord> Tasks { get; init; } = new();
    public string ClientStatus { get; init; } = AllocClientStatus.Pending;
    public string ClientDescription { get; init; } = "";
    /// <summary>When the allocation became terminal on this client, Unix ns (0 while it runs): GC goes oldest first.</summary>
    public long TerminalAt { get; init; }
    /// <summary>The health this client decided for it (null until then): decided once, reported with every update.</summary>
    public AllocDeploymentStatus? DeploymentStatus { get; init; }
}

/// <summary>
/// The client's durable memory of its allocations: <c>state_dir/allocs/ID.json</c>, each written to a
/// temporary file, flushed to disk and renamed, so a crash leaves the old or the new record, never half of one.
/// <see cref="Put"/> and <see cref="Remove"/> only queue (see <see cref="BatchedFileWriter"/>): an allocation
/// runner never waits on a disk flush, so stopping 200 allocations is not 200 flushes in a row before the
/// last one is killed.
/// </summary>
public sealed class AllocStateStore(string stateDir, Logger? log = null)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };
    private readonly string _dir = Path.Combine(stateDir, "allocs");
    private readonly BatchedFileWriter _writer = new(log);

    /// <summary>Queues the record to be written (replacing any older one not yet written).</summary>
    public void Put(AllocRecord record) =>
        _ = _writer.WriteAsync(PathFor(record.Alloc.ID), JsonSerializer.SerializeToUtf8Bytes(record, Json));

    /// <summary>Queues the removal of the allocation's record (after any write queued before it).</summary>
    public void Remove(string allocId) => _ = _writer.WriteAsync(PathFor(allocId), null);

    /// <summary>Completes once everything queued before the call is on disk.</summary>
    public Task FlushAsync() => _writer.FlushAsync();

    public IReadOnlyList<AllocRecord> All()
    {
        if (!Directory.Exists(_dir)) return [];
        var list = new List<AllocRecord>();
        foreach (var p in Directory.EnumerateFiles(_dir, "*.json"))
        {
            try { if (JsonSerializer.Deserialize<AllocRecord>(File.ReadAllBytes(p), Json) is { } r) list.Add(r); }
            catch (JsonException) { /* unreadable: the servers will send the allocation again */ }
        }
        return list;
    }

    private string PathFor(string allocId) => Path.Combine(_dir, Uri.EscapeDataString(allocId) + ".json");
}
