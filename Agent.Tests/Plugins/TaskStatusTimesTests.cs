using System.Text.Json;
using Nomad.Contracts;
using TaskStatus = Nomad.Contracts.TaskStatus;

namespace Nomad.Agent.Tests.Plugins;

/// <summary>
/// A driver's TaskStatus never reports a task finished before it started: every driver builds it from its own
/// clock's times (the docker driver from Docker's StartedAt/FinishedAt, which can be 0.6 ms the wrong way round for
/// a container that exits at once).
/// </summary>
public class TaskStatusTimesTests
{
    private static readonly DateTime Started = new(2026, 12, 7, 10, 0, 0, 123, DateTimeKind.Utc);

    [Test]
    public void A_completion_before_the_start_is_reported_as_the_start()
    {
        var status = new TaskStatus("a/t/0", "t", TaskStates.Exited, Started, Started.AddTicks(-6_000), new ExitResult(3));
        Assert.That(status.CompletedAt, Is.EqualTo(Started));
    }

    [Test]
    public void The_clamped_time_is_what_goes_over_the_wire()
    {
        var status = new TaskStatus("a/t/0", "t", TaskStates.Exited, Started, Started.AddTicks(-6_000), new ExitResult(3));
        var back = JsonSerializer.Deserialize<TaskStatus>(JsonSerializer.Serialize(status))!;
        Assert.That(back.CompletedAt, Is.EqualTo(Started));
        Assert.That(back.CompletedAt - back.StartedAt, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Consistent_times_and_a_running_task_are_left_alone()
    {
        var later = Started.AddMilliseconds(1500);
        Assert.That(new TaskStatus("a/t/0", "t", TaskStates.Exited, Started, later, new ExitResult(0)).CompletedAt, Is.EqualTo(later));
        Assert.That(new TaskStatus("a/t/0", "t", TaskStates.Running, Started, null, null).CompletedAt, Is.Null);
        Assert.That((new TaskStatus("a/t/0", "t", TaskStates.Exited, Started, later, null) with { CompletedAt = Started.AddSeconds(-1) }).CompletedAt,
            Is.EqualTo(Started), "also when set afterwards");
    }
}
