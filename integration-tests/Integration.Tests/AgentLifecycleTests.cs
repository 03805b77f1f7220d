using System.Net;
using System.Net.Sockets;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>Starting and stopping agents: signals, graceful leave, bad input, ports in use.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class AgentLifecycleTests
{
    [TestCase("INT", "interrupt")]
    [TestCase("TERM", "terminated")]
    public async Task Signal_stops_the_agent_forcefully_by_default(string signal, string name)
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        agent.Signal(signal);
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(exit, Is.EqualTo(1), "a forceful stop exits 1, as Nomad's");
        var output = agent.Output;
        Assert.That(output, Does.Contain($"==> Caught signal: {name}"));
        Assert.That(output, Does.Not.Contain("Gracefully shutting down agent"));
        AssertInOrder(output, "agent: requesting shutdown", "client: shutting down", "nomad: shutting down server", "agent: shutdown complete");
    }

    [TestCase("INT", "leave_on_interrupt = true")]
    [TestCase("TERM", "leave_on_terminate = true")]
    public async Task Signal_with_leave_configured_leaves_gracefully(string signal, string config)
    {
        await using var agent = AgentProcess.Start(["-dev"], config);
        await agent.WaitForReadyNodeAsync();
        agent.Signal(signal);
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(exit, Is.EqualTo(0), agent.Output);
        AssertInOrder(agent.Output, "==> Gracefully shutting down agent...", "client: marked node down on the servers", "nomad: server starting leave", "agent: shutdown complete");
    }

    [Test]
    public async Task Http_port_in_use_is_one_line_and_exit_1()
    {
        var ports = FreePorts.Take(3);
        using var squatter = new TcpListener(IPAddress.Loopback, ports[0]);
        squatter.Start();
        await using var agent = AgentProcess.Start(["-dev"], ports: ports);
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(agent.Output, Does.Contain($"==> Error starting agent: failed to start HTTP listener: 127.0.0.1:{ports[0]} already in use"));
        Assert.That(agent.Output, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task Bad_flag_is_one_line_and_exit_1()
    {
        var r = await CliRun.RunAsync(null, "agent", "-dev", "-no-such-flag");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("-no-such-flag"));
        Assert.That(r.Stderr, Does.Not.Contain("   at "));
    }

    [Test]
    public async Task Bad_config_names_file_line_and_key()
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-").FullName;
        var file = Path.Combine(dir, "bad.hcl");
        File.WriteAllText(file, "region = \"global\"\nserver {\n  bogus_key = 1\n}\n");
        var r = await CliRun.RunAsync(null, "agent", "-dev", $"-config={file}");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        var all = (r.Stdout + r.Stderr).Trim();
        Assert.That(all, Does.Contain("bad.hcl:3"));
        Assert.That(all, Does.Contain("bogus_key"));
        Assert.That(all.Split('\n'), Has.Length.EqualTo(1), all);
    }

    [Test]
    public async Task Bad_log_level_flag_is_rejected()
    {
        var r = await CliRun.RunAsync(null, "agent", "-dev", "-log-level=LOUD");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stdout + r.Stderr, Does.Contain("LOUD"));
    }

    [Test]
    public async Task Cli_without_an_agent_says_connection_refused()
    {
        var port = FreePorts.Take(1)[0];
        var r = await CliRun.RunAsync($"http://127.0.0.1:{port}", "node", "status");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr.Trim(), Does.StartWith("Error querying node status:"));
        Assert.That(r.Stderr, Does.Contain("connection refused"));
        Assert.That(r.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Log_level_is_honoured()
    {
        await using var agent = AgentProcess.Start(["-dev", "-log-level=WARN"]);
        await agent.WaitForReadyNodeAsync();
        Assert.That(agent.Lines.Where(l => l.Contains("[INFO]") || l.Contains("[DEBUG]")), Is.Empty);
        Assert.That(agent.Output, Does.Contain("Log Level: WARN"));
    }

    private static void AssertInOrder(string output, params string[] expected)
    {
        var at = 0;
        foreach (var e in expected)
        {
            var i = output.IndexOf(e, at, StringComparison.Ordinal);
            Assert.That(i, Is.GreaterThanOrEqualTo(0), $"expected `{e}` after position {at} in:\n{output}");
            at = i + e.Length;
        }
    }
}
