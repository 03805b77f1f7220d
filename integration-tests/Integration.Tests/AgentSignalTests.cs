using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Signals to an agent a script started in the background (`nomad agent -dev &amp;`), which inherits SIGINT and
/// SIGQUIT ignored: Nomad's agent acts on them anyway. SIGHUP reloads the configuration and never stops it.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class AgentSignalTests
{
    private const int SigHup = 1, SigInt = 2, SigQuit = 3;

    /// <summary>Starts the agent in the background and checks the precondition: the shell had it ignore SIGINT and SIGQUIT.</summary>
    private static async Task<AgentProcess> StartInBackgroundAsync(string extraConfig = "")
    {
        var agent = AgentProcess.StartInBackground(["-dev"], extraConfig);
        await agent.WaitForReadyNodeAsync();
        Assert.That(agent.BackgroundSigIgn, Is.Not.Null, "the shell reported the mask of its background job");
        Assert.That(AgentProcess.IsSet(agent.BackgroundSigIgn!.Value, SigInt) && AgentProcess.IsSet(agent.BackgroundSigIgn.Value, SigQuit), Is.True,
            $"a background job of a non-interactive shell inherits SIGINT and SIGQUIT ignored (SigIgn {agent.BackgroundSigIgn:x16})");
        return agent;
    }

    [Test]
    public async Task Sigint_stops_an_agent_that_inherited_sigint_ignored()
    {
        await using var agent = await StartInBackgroundAsync();
        agent.Signal("INT");
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.EqualTo(1), agent.Output);
        Assert.That(agent.Output, Does.Contain("==> Caught signal: interrupt"));
        Assert.That(agent.Output, Does.Contain("agent: shutdown complete"));
    }

    [Test]
    public async Task Sighup_reloads_the_log_level_from_the_config_file_and_the_agent_keeps_running()
    {
        await using var agent = await StartInBackgroundAsync("log_level = \"INFO\"");
        await agent.Http.GetStringAsync("/v1/agent/self");
        Assert.That(agent.Lines.Where(l => l.Contains("[DEBUG]")), Is.Empty, "nothing below INFO before the reload");

        var configPath = Path.Combine(agent.Dir, "ports.hcl");
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("log_level = \"INFO\"", "log_level = \"DEBUG\""));
        agent.Signal("HUP");
        await agent.WaitForLineAsync("==> Reloading configuration...");
        AssertInOrder(agent.Output, "==> Caught signal: hangup", "==> Reloading configuration...");

        // Every HTTP request is logged at DEBUG; such lines now appear.
        await Eventually.WaitAsync(async () =>
        {
            await agent.Http.GetStringAsync("/v1/agent/self");
            return agent.Lines.Any(l => l.Contains("[DEBUG] http: request complete: method=GET path=/v1/agent/self"));
        }, TimeSpan.FromSeconds(30), "a DEBUG line after the reload\n" + agent.Output);
        Assert.That(agent.HasExited, Is.False, "a SIGHUP does not stop the agent");
        Assert.That(AgentProcess.Ignores(agent.Pid, SigHup), Is.False);

        agent.Signal("INT");
        Assert.That(await agent.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(1), agent.Output);
    }

    [Test]
    public async Task Sighup_with_a_broken_config_file_keeps_the_agent_as_it_was()
    {
        await using var agent = await StartInBackgroundAsync("log_level = \"INFO\"");
        File.AppendAllText(Path.Combine(agent.Dir, "ports.hcl"), "\nserver {\n  bogus_key = 1\n}\n");
        agent.Signal("HUP");
        await agent.WaitForLineAsync("==> Failed to reload configs:");
        Assert.That(agent.Lines.Single(l => l.StartsWith("==> Failed to reload configs:")), Does.Contain("bogus_key"));

        Assert.That((await agent.Http.GetAsync("/v1/agent/self")).IsSuccessStatusCode, Is.True, "still serving");
        Assert.That(agent.HasExited, Is.False);
    }

    [Test]
    public async Task Sigquit_quits_at_once_with_exit_2_as_nomads_go_runtime_does()
    {
        await using var agent = await StartInBackgroundAsync();
        agent.Signal("QUIT");
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exit, Is.EqualTo(2), agent.Output);
        Assert.That(agent.Output, Does.Contain("==> Caught signal: quit"));
        Assert.That(agent.Output, Does.Not.Contain("agent: requesting shutdown"), "no orderly shutdown");
    }

    private static void AssertInOrder(string output, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var i = output.IndexOf(part, at, StringComparison.Ordinal);
            Assert.That(i, Is.GreaterThanOrEqualTo(0), $"\"{part}\" after position {at} in:\n{output}");
            at = i + part.Length;
        }
    }
}
