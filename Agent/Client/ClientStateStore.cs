using System.Text.Json;
using Nomad.Agent.Logging;
using Nomad.Contracts;

namespace Nomad.Agent.Client;

/// <summary>What the client remembers about one task across its own restarts (not Nomad's TaskState, which is what the servers are told).</summary>
/// <param name="Driver">The driver plugin running it.</param>
/// <param name="Handle">The driver's handle, for RecoverTask.</param>
/// <param name="Exit">How it ended, once it has.</param>
public sealed record TaskRecord(string Driver, TaskHandle Handle, ExitResult? Exit);

/// <summary>
/// The client's durable memory of its tasks: one JSON file per task under <c>state_dir/tasks</c>, each
/// written to a temporary file, flushed and renamed, so a crash leaves the old or the new record, never half
/// of one. Writes are group-committed (<see cref="BatchedFileWriter"/>): <see cref="PutAsync"/> completes
/// once the record is on disk, and many tasks starting or ending at once share the disk flushes.
/// </summary>
public sealed class ClientStateStore(string stateDir, Logger? log = null)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };
    private readonly string _dir = Path.Combine(stateDir, "tasks");
    private readonly BatchedFileWriter _writer = new(log);

    /// <summary>Writes the record; completes once it is on disk.</summary>
    public Task PutAsync(TaskRecord state) =>
        _writer.WriteAsync(PathFor(state.Handle.Config.ID), JsonSerializer.SerializeToUtf8Bytes(state, Json));


    /// <summary>The task's newest record (one still queued for the disk included), or null.</summary>
    public TaskRecord? Get(string taskId)
    {
        var path = PathFor(taskId);
        if (_writer.TryGetQueued(path, out var queued)) return queued is null ? null : JsonSerializer.Deserialize<TaskRecord>(queued, Json);
        return File.Exists(path) ? JsonSerializer.Deserialize<TaskRecord>(File.ReadAllBytes(path), Json) : null;
    }

    /// <summary>Every record on disk (read at start, before anything is queued).</summary>
    public IReadOnlyList<TaskRecord> All() =>
        Directory.Exists(_dir)
            ? Directory.EnumerateFiles(_dir, "*.json").Select(p => JsonSerializer.Deserialize<TaskRecord>(File.ReadAllBytes(p), Json)!).ToList()
            : [];

    /// <summary>Forgets the task (queued after any write of it).</summary>
    public void Remove(string taskId) => _ = _writer.WriteAsync(PathFor(taskId), null);

    /// <summary>Completes once everything queued before the call is on disk.</summary>
    public Task FlushAsync() => _writer.FlushAsync();

    // Task IDs are alloc/task/attempt: make them one safe file name.
    private string PathFor(string taskId) => Path.Combine(_dir, Uri.EscapeDataString(taskId) + ".json");
}
