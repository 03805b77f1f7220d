using System.Diagnostics;
using StreamJsonRpc;

namespace Nomad.Drivers.Docker.Tests;

/// <summary>The daemon keeps the containers: a driver killed with -9 leaves them running, and a new one re-attaches.</summary>
public sealed class RecoveryTests : DockerTest
{
    /// <summary>Counts to <paramref name="n"/>, one line every 100 ms, then exits with <paramref name="code"/>.</summary>
    private TaskConfig Counter(string name, int n, int code) =>
        Sh(name, $"i=0; while [ $i -lt {n} ]; do echo line $i; i=$((i+1)); sleep 0.1; done; exit {code}");

    private static string Expected(int n) => string.Concat(Enumerable.Range(0, n).Select(i => $"line {i}\n"));

    [Test]
    public async Task Containers_survive_a_driver_kill_and_a_new_driver_reattaches_without_restarting_them()
    {
        var a = await StartDriver();
        var t1 = Counter("one", 40, 0);
        var t2 = Counter("two", 40, 5);
        var h1 = await Start(a, t1);
        var h2 = await Start(a, t2);
        await Os.Eventually(() => Stdout(t1).Contains("line 3") && Stdout(t2).Contains("line 3"), "both tasks to log");
        var started1 = (await Docker.Containers.InspectContainerAsync(ContainerId(h1))).State.StartedAt;

        a.KillHard();
        Assert.That((await Docker.Containers.InspectContainerAsync(ContainerId(h1))).State.Running, Is.True, "the container outlived the driver");

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h1);
        await b.Call(PluginProtocol.Methods.RecoverTask, h2);
        Assert.That((await b.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t1.ID)).State, Is.EqualTo(TaskStates.Running));
        Assert.That(await b.Wait(t1.ID), Is.EqualTo(new ExitResult(0)));
        Assert.That(await b.Wait(t2.ID), Is.EqualTo(new ExitResult(5)));

        var c1 = await Docker.Containers.InspectContainerAsync(ContainerId(h1));
        Assert.That(c1.State.StartedAt, Is.EqualTo(started1), "the same run, not restarted");
        Assert.That(c1.RestartCount, Is.EqualTo(0));
        Assert.That(Stdout(t1), Is.EqualTo(Expected(40)), "every line once: copied on from the cursor, none lost or repeated");
        Assert.That(Stdout(t2), Is.EqualTo(Expected(40)));
        await Destroy(b, t1);
        await Destroy(b, t2);
    }

    [Test]
    public async Task A_task_that_exits_while_no_driver_runs_reports_its_real_code()
    {
        var a = await StartDriver();
        var t = Counter("quick", 5, 7);
        var h = await Start(a, t);
        a.KillHard();
        await Os.Eventually(() => !Docker.Containers.InspectContainerAsync(ContainerId(h)).Result.State.Running, "the task to exit with no driver");

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        Assert.That(await b.Wait(t.ID), Is.EqualTo(new ExitResult(7)));
        Assert.That(Stdout(t), Is.EqualTo(Expected(5)));
        await Destroy(b, t);
    }

    [Test]
    public async Task Bytes_written_after_the_last_cursor_are_cut_off_and_copied_once_by_the_next_driver()
    {
        var a = await StartDriver();
        var t = Counter("cut", 5, 3);
        var h = await Start(a, t);
        await Os.Eventually(() => Stdout(t).Contains("line 4"), "the task to log");
        a.KillHard();
        await Os.Eventually(() => !Docker.Containers.InspectContainerAsync(ContainerId(h)).Result.State.Running, "the task to exit");
        // What a driver killed between writing lines and saving its cursor leaves behind.
        File.AppendAllText($"{t.StdoutPath}.0", "line 4\n");

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        Assert.That(await b.Wait(t.ID), Is.EqualTo(new ExitResult(3)));
        Assert.That(Stdout(t), Is.EqualTo(Expected(5)), "every line once");
        await Destroy(b, t);
    }

    [Test]
    public async Task Recovering_a_container_that_is_gone_reports_an_error_not_an_exit()
    {
        var a = await StartDriver();
        var t = Sh("gone", "exec sleep 300");
        var h = await Start(a, t);
        a.KillHard();
        await Docker.Containers.RemoveContainerAsync(ContainerId(h), new() { Force = true });

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        var exit = await b.Wait(t.ID);
        Assert.That(exit.Err, Does.Contain("no longer exists"));
        Assert.That(exit.Successful, Is.False);
        await Destroy(b, t);
    }

    [Test]
    public async Task Containers_no_task_owns_are_removed_after_the_grace_period()
    {
        var a = await StartDriver();
        var orphan = Sh("orphan", "exec sleep 300");
        await Start(a, orphan);
        a.KillHard(); // nobody will recover it

        NewAlloc();
        var b = await StartDriver(new { gc = new { dangling_containers = new { period = "1s", creation_grace = "2s" } } });
        var kept = Sh("kept", "exec sleep 300");
        await Start(b, kept); // tracked by this driver: never touched

        await Os.Eventually(() => Ours(orphan.AllocID).Result.Count == 0, "the orphan to be removed", TimeSpan.FromSeconds(30));
        // A check that saw "kept" past its grace too, and kept it because this driver tracks it.
        await Os.Eventually(() => b.Stderr.Contains("kept_tracked=1"), "a dangling check past the grace of the tracked container", TimeSpan.FromSeconds(30));
        Assert.That((await Ours()).Single().State, Is.EqualTo("running"), "a tracked container is kept");
        Assert.That(b.Stderr, Does.Contain("removed dangling container"));
        await Destroy(b, kept, force: true);
    }
}
