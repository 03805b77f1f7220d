namespace Nomad.Agent.Structs;

/// <summary>A task's state inside an allocation, as the client reports it.</summary>
public sealed record TaskState
{
    public string State { get; init; } = TaskStateName.Pending;
    public bool Failed { get; init; }
    public ulong Restarts { get; init; }
    public DateTime? LastRestart { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public List<TaskEvent> Events { get; init; } = new();
}

public static class TaskStateName
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Dead = "dead";
}
