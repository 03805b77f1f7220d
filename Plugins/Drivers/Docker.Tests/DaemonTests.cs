using System.Diagnostics;
using System.Text.Json;

namespace Nomad.Drivers.Docker.Tests;

/// <summary>The fingerprint follows the daemon; tasks ride out a daemon restart without a hang or a leftover.</summary>
public sealed class DaemonTests : DockerTest
{
    [Test]
    public async Task The_fingerprint_reports_the_daemon()
    {
        var d = await StartDriver();
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Healthy), fp.HealthDescription);
        var version = await Docker.System.GetVersionAsync();
        Assert.That(fp.Attributes["driver.docker"], Is.EqualTo("1"));
        Assert.That(fp.Attributes["driver.docker.version"], Is.EqualTo(version.Version));
        Assert.That(fp.Attributes["driver.docker.os_type"], Is.EqualTo("linux"));
        Assert.That(fp.Attributes["driver.docker.runtimes"].Split(','), Does.Contain("runc"));
        var caps = await d.Call<DriverCapabilities>(PluginProtocol.Methods.Capabilities);
        Assert.That(caps, Is.EqualTo(new DriverCapabilities(true, true, "image")));
    }

    [Test]
    public async Task No_daemon_means_undetected_with_the_reason_and_a_working_endpoint_makes_it_healthy()
    {
        var d = await StartDriver(new { endpoint = "unix:///tmp/no-docker-here.sock" });
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Undetected));
        Assert.That(fp.HealthDescription, Does.StartWith("Failed to connect to docker daemon at unix:///tmp/no-docker-here.sock: "));
        Assert.That(fp.Attributes, Is.Empty);

        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.SetConfig, JsonSerializer.SerializeToElement(new { endpoint = $"unix://{Socket}" }));
        Assert.That(r.Errors, Is.Empty);
        await Os.Eventually(() => d.Pushed.Any(p => p.Health == DriverHealth.Healthy), "a healthy fingerprint to be pushed");
    }

    /// <summary>Restarts the daemon: SIGTERM to the one running (its pid file), then the same command line the test set-up uses.</summary>
    private static async Task RestartDaemon()
    {
        var pid = int.Parse(File.ReadAllText("/var/run/docker.pid").Trim());
        Os.Kill(pid, 15);
        await Os.Eventually(() => !Os.IsRunning(pid), "dockerd to stop", TimeSpan.FromSeconds(60));
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var a in new[] { "sh", "-c", "exec dockerd --iptables=false --bridge=none >>/var/log/nomad-test-dockerd.log 2>&1 </dev/null" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
    }

    [Test]
    public async Task A_daemon_restart_ends_running_tasks_visibly_and_leaves_no_container()
    {
        if (Environment.UserName != "root" || !File.Exists("/var/run/docker.pid"))
            Assert.Ignore("restarting dockerd needs root and its pid file");
        var d = await StartDriver();
        await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint); // starts the health watch
        var t = Sh("steady", "trap 'exit 0' TERM; echo up; while true; do sleep 0.2; done");
        await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("up"), "the task to run");

        await RestartDaemon();
        // Without live-restore the daemon stops its containers: the task's end must be reported, not waited on forever.
        var exit = await d.Wait(t.ID, TimeSpan.FromSeconds(90));
        Assert.That(exit.Err, Is.Null, exit.ToString());
        TestContext.Out.WriteLine($"exit across the restart: {exit}");
        await Os.Eventually(() => d.Pushed.Any(p => p.Health != DriverHealth.Healthy), "the driver to report the daemon gone", TimeSpan.FromSeconds(30));
        await Os.Eventually(() => d.Pushed.LastOrDefault()?.Health == DriverHealth.Healthy, "healthy again once the daemon is back", TimeSpan.FromSeconds(60));
        await Destroy(d, t);
        Assert.That(await Ours(), Is.Empty);
    }
}
