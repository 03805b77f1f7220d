using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>A task's state inside an allocation, as the client reports it.</summary>
public sealed record TaskState
{
    public string State { get; init; } = TaskStateName.Pending;
    public bool Failed { get; init; }
    public ulong Restarts { get; init; }
    [JsonConverter(typeof(GoNullableTimeConverter))]
    public DateTime? LastRestart { get; init; }
    [JsonConverter(typeof(GoNullableTimeConverter))]
    public DateTime? StartedAt { get; init; }
    [JsonConverter(typeof(GoNullableTimeConverter))]
    public DateTime? FinishedAt { get; init; }
    public List<TaskEvent> Events { get; init; } = new();
}

public static class TaskStateName
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Dead = "dead";
}
