namespace Nomad.Drivers.Docker;

/// <summary>
/// The handle's DriverState: what a restarted driver needs to find the task again. The container is found by
/// ID; the log cursor says how far its logs were copied.
/// </summary>
internal sealed record DockerTaskState
{
    public string ContainerID { get; init; } = "";
    public string ContainerName { get; init; } = "";
    public string Image { get; init; } = "";
    public string ImageID { get; init; } = "";
    public string LogCursorPath { get; init; } = "";
    public DateTime StartedAt { get; init; }
}
