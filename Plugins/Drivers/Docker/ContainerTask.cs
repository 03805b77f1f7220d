using Nomad.Contracts;

namespace Nomad.Drivers.Docker;

/// <summary>One task this driver process knows: its container, its exit (once seen), and its log copier.</summary>
internal sealed class ContainerTask(TaskConfig config, DockerTaskState state)
{
    public TaskConfig Config { get; } = config;
    public DockerTaskState State { get; } = state;
    public string Id => State.ContainerID;
    public TaskCompletionSource<ExitResult> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool Exited => Exit.Task.IsCompleted;
    public DateTime? CompletedAt { get; private set; }
    public ContainerLogs? Logs { get; set; }
    /// <summary>Cancelled when the task is destroyed: ends its watch.</summary>
    public CancellationTokenSource Forget { get; } = new();

    public void Complete(ExitResult r, DateTime? at = null)
    {
        if (Exit.Task.IsCompleted) return;
        CompletedAt = at ?? DateTime.UtcNow;
        Exit.TrySetResult(r);
    }
}
