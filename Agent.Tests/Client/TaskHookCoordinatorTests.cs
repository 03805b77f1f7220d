using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Client;

/// <summary>The lifecycle order of a group's tasks and the kill decisions, from task states alone.</summary>
[TestFixture]
public sealed class TaskHookCoordinatorTests
{
    private static JobTask Main(string name, bool leader = false) => new() { Name = name, Driver = "raw_exec", Leader = leader };

    private static JobTask Hook(string name, string hook, bool sidecar = false) =>
        new() { Name = name, Driver = "raw_exec", Lifecycle = new Agent.Structs.TaskLifecycle { Hook = hook, Sidecar = sidecar } };

    private static readonly JobTask Init = Hook("init", "prestart"), Proxy = Hook("proxy", "prestart", sidecar: true),
        App = Main("app"), After = Hook("after", "poststart"), Logger = Hook("logger", "poststart", sidecar: true), Cleanup = Hook("cleanup", "poststop");

    private static readonly TaskState Pending = new(), Running = new() { State = TaskStateName.Running, StartedAt = DateTime.UtcNow },
        Succeeded = new() { State = TaskStateName.Dead, StartedAt = DateTime.UtcNow },
        Failed = new() { State = TaskStateName.Dead, Failed = true, StartedAt = DateTime.UtcNow },
        RestartingAfterStart = new() { State = TaskStateName.Pending, StartedAt = DateTime.UtcNow, Restarts = 1 };

    private static Dictionary<string, TaskState> States(params (JobTask Task, TaskState State)[] states) =>
        states.ToDictionary(s => s.Task.Name, s => s.State);

    [Test]
    public void A_group_of_main_tasks_starts_at_once()
    {
        var c = new TaskHookCoordinator([Main("a"), Main("b")]);
        Assert.That(c.StartCondition(Main("a")).IsCompleted, Is.True);
    }

    [Test]
    public void Prestart_tasks_start_at_once_and_main_tasks_wait_for_them()
    {
        var c = new TaskHookCoordinator([Init, Proxy, App, After, Cleanup]);
        Assert.Multiple(() =>
        {
            Assert.That(c.StartCondition(Init).IsCompleted, Is.True);
            Assert.That(c.StartCondition(Proxy).IsCompleted, Is.True);
            Assert.That(c.StartCondition(App).IsCompleted, Is.False);
            Assert.That(c.StartCondition(After).IsCompleted, Is.False);
            Assert.That(c.StartCondition(Cleanup).IsCompleted, Is.False);
        });

        // The sidecar has started, the ephemeral prestart task still runs: the main task waits.
        c.TaskStatesUpdated(States((Init, Running), (Proxy, Running), (App, Pending), (After, Pending), (Cleanup, Pending)));
        Assert.That(c.MainMayStart, Is.False);

        // The ephemeral prestart task succeeded: the main task may start, the poststart task not yet.
        c.TaskStatesUpdated(States((Init, Succeeded), (Proxy, Running), (App, Pending), (After, Pending), (Cleanup, Pending)));
        Assert.That(c.StartCondition(App).IsCompleted, Is.True);
        Assert.That(c.PoststartMayStart, Is.False);

        c.TaskStatesUpdated(States((Init, Succeeded), (Proxy, Running), (App, Running), (After, Pending), (Cleanup, Pending)));
        Assert.That(c.StartCondition(After).IsCompleted, Is.True);
        Assert.That(c.PoststopMayStart, Is.False);
    }

    [Test]
    public void A_failed_prestart_task_never_lets_the_main_tasks_start()
    {
        var c = new TaskHookCoordinator([Init, App]);
        c.TaskStatesUpdated(States((Init, Failed), (App, Pending)));
        Assert.That(c.MainMayStart, Is.False);
        var decision = c.KillDecision(States((Init, Failed), (App, Pending)));
        Assert.That(decision!.Event.Type, Is.EqualTo(TaskEventType.SiblingFailed));
        Assert.That(decision.Event.FailedSibling, Is.EqualTo("init"));
        Assert.That(decision.Alive, Is.EqualTo(new[] { "app" }));
    }

    [Test]
    public void A_prestart_sidecar_counts_once_started_even_if_it_restarts_later()
    {
        var c = new TaskHookCoordinator([Proxy, App]);
        c.TaskStatesUpdated(States((Proxy, Pending), (App, Pending)));
        Assert.That(c.MainMayStart, Is.False);
        c.TaskStatesUpdated(States((Proxy, RestartingAfterStart), (App, Pending)));
        Assert.That(c.MainMayStart, Is.True);
    }

    [Test]
    public void Poststart_waits_for_every_main_task_to_have_started()
    {
        var c = new TaskHookCoordinator([Main("a"), Main("b"), After]);
        c.TaskStatesUpdated(States((Main("a"), Running), (Main("b"), Pending), (After, Pending)));
        Assert.That(c.PoststartMayStart, Is.False);
        c.TaskStatesUpdated(States((Main("a"), Succeeded), (Main("b"), Running), (After, Pending)));
        Assert.That(c.PoststartMayStart, Is.True);
    }

    [Test]
    public void Poststop_waits_until_every_other_task_is_dead_sidecars_included()
    {
        var c = new TaskHookCoordinator([Init, Proxy, App, Logger, Cleanup]);
        c.TaskStatesUpdated(States((Init, Succeeded), (Proxy, Running), (App, Succeeded), (Logger, Running), (Cleanup, Pending)));
        Assert.That(c.PoststopMayStart, Is.False);
        c.TaskStatesUpdated(States((Init, Succeeded), (Proxy, Succeeded), (App, Succeeded), (Logger, Succeeded), (Cleanup, Pending)));
        Assert.That(c.StartCondition(Cleanup).IsCompleted, Is.True);
    }

    [Test]
    public void A_restored_allocation_opens_its_gates_from_the_states_it_had()
    {
        // After an agent restart: the prestart task completed before, the main task ran; nothing waits again.
        var c = new TaskHookCoordinator([Init, App, After]);
        c.TaskStatesUpdated(States((Init, Succeeded), (App, Running), (After, Pending)));
        Assert.That(c.MainMayStart && c.PoststartMayStart, Is.True);
    }

    [Test]
    public void Only_sidecars_left_alive_kills_them_with_main_tasks_dead()
    {
        var c = new TaskHookCoordinator([Proxy, App, Logger, Cleanup]);
        Assert.That(c.KillDecision(States((Proxy, Running), (App, Running), (Logger, Running), (Cleanup, Pending))), Is.Null);
        var decision = c.KillDecision(States((Proxy, Running), (App, Succeeded), (Logger, Running), (Cleanup, Pending)));
        Assert.That(decision!.Event.Type, Is.EqualTo(TaskEventType.MainDead));
        Assert.That(decision.Event.DisplayMessage, Is.EqualTo("Main tasks in the group died"));
        Assert.That(decision.Alive, Is.EquivalentTo(new[] { "proxy", "logger" }), "the poststop task is not killed");
    }

    [Test]
    public void A_pending_ephemeral_task_keeps_the_sidecars_alive()
    {
        // The main task finished before the poststart task ran: it still runs, beside the sidecar.
        var c = new TaskHookCoordinator([Proxy, App, After]);
        Assert.That(c.KillDecision(States((Proxy, Running), (App, Succeeded), (After, Pending))), Is.Null);
    }

    [Test]
    public void The_leader_dying_kills_the_others_and_takes_precedence_over_a_failure()
    {
        var c = new TaskHookCoordinator([Main("worker"), Main("boss", leader: true), Proxy]);
        var decision = c.KillDecision(States((Main("worker"), Running), (Main("boss"), Succeeded), (Proxy, Running)));
        Assert.That(decision!.Event.Type, Is.EqualTo(TaskEventType.LeaderDead));
        Assert.That(decision.Event.DisplayMessage, Is.EqualTo("Leader Task in Group dead"));
        Assert.That(decision.Alive, Is.EquivalentTo(new[] { "worker", "proxy" }));

        var both = c.KillDecision(States((Main("worker"), Failed), (Main("boss", leader: true), Succeeded), (Proxy, Running)));
        Assert.That(both!.Event.Type, Is.EqualTo(TaskEventType.LeaderDead));
    }

    [Test]
    public void A_failed_poststop_task_kills_nothing_and_nothing_is_decided_once_all_are_dead()
    {
        var c = new TaskHookCoordinator([App, Cleanup]);
        Assert.That(c.KillDecision(States((App, Succeeded), (Cleanup, Failed))), Is.Null);
        Assert.That(c.KillDecision(States((App, Failed), (Cleanup, Pending))), Is.Null, "no live task but the poststop one");
    }

    [Test]
    public void Tasks_are_killed_leader_first_then_the_others_then_the_sidecars_never_poststop()
    {
        var c = new TaskHookCoordinator([Proxy, Main("worker"), Cleanup, Main("boss", leader: true), Init, Logger]);
        Assert.That(c.KillPhases(), Is.EqualTo(new[]
        {
            new[] { "boss" },
            new[] { "worker", "init" },
            new[] { "proxy", "logger" },
        }));
    }

    [Test]
    public void Restart_on_success_follows_the_hook()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Service, null), Is.True);
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Batch, null), Is.False);
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Service, Init.Lifecycle), Is.False, "an init task that succeeded is done");
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Batch, Proxy.Lifecycle), Is.True, "a sidecar is kept running");
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Service, After.Lifecycle), Is.False);
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Service, Logger.Lifecycle), Is.True);
            Assert.That(RestartTracker.RestartsOnSuccess(JobType.Service, Hook("c", "poststop", sidecar: true).Lifecycle), Is.False);
        });
    }
}
