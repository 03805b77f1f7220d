using System.Text.Json;
using Nomad.Contracts;

namespace Nomad.Agent.Client;

/// <summary>What the client remembers about one task across its own restarts (not Nomad's TaskState, which is what the servers are told).</summary>
/// <param name="Driver">The driver plugin running it.</param>
/// <param name="Handle">The driver's handle, for RecoverTask.</param>
/// <param name="Exit">How it ended, once it has.</param>
public sealed record TaskRecord(string Driver, TaskHandle Handle, ExitResult? Exit);

/// <summary>
/// The client's durable memory of its tasks: one JSON file per task under <c>state_dir/tasks</c>, each
/// written to a temporary file and renamed, so a crash leaves the old or the new record, never half of one.
/// </summary>
public sealed class ClientStateStore(string stateDir)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };
    private readonly string _dir = Path.Combine(stateDir, "tasks");

    public void Put(TaskRecord state)
    {
        Directory.CreateDirectory(_dir);
        var path = PathFor(state.Handle.Config.ID);
        var tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(f, state, Json);
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public TaskRecord? Get(string taskId)
    {
        var path = PathFor(taskId);
        return File.Exists(path) ? JsonSerializer.Deserialize<TaskRecord>(File.ReadAllBytes(path), Json) : null;
    }

    public IReadOnlyList<TaskRecord> All() =>
        Directory.Exists(_dir)
            ? Directory.EnumerateFiles(_dir, "*.json").Select(p => JsonSerializer.Deserialize<TaskRecord>(File.ReadAllBytes(p), Json)!).ToList()
            : [];

    public void Remove(string taskId)
    {
        if (Directory.Exists(_dir)) File.Delete(PathFor(taskId));
    }

    // Task IDs are alloc/task/attempt: make them one safe file name.
    private string PathFor(string taskId) => Path.Combine(_dir, Uri.EscapeDataString(taskId) + ".json");
}
