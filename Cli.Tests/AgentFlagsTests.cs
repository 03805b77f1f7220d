using System.Text.Json;
using Nomad.Agent.Config;
using Nomad.Cli.Commands.Agent;

namespace Nomad.Cli.Tests;

/// <summary>`nomad agent` flags become a configuration overlay that sets exactly what was given.</summary>
public class AgentFlagsTests
{
    private static (AgentConfig Overlay, IReadOnlyList<string> ConfigPaths) Overlay(params string[] args)
    {
        var parsed = NomadCli.Parse(["agent", .. args]);
        Assert.That(parsed.Errors, Is.Empty, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        var command = (AgentCommand)parsed.CommandResult.Command;
        return (command.BuildOverlay(parsed), command.ConfigPaths(parsed));
    }

    [Test]
    public void No_flags_set_nothing()
    {
        var (overlay, paths) = Overlay();

        // Records compare collections by reference, so compare what they hold.
        Assert.That(JsonSerializer.Serialize(overlay), Is.EqualTo(JsonSerializer.Serialize(new AgentConfig())));
        Assert.That(paths, Is.Empty);
    }

    [Test]
    public void Dev_is_carried_as_dev_mode_only()
    {
        var (overlay, _) = Overlay("-dev", "-bind=127.0.0.1");

        Assert.That(overlay.DevMode, Is.True);
        Assert.That(overlay.BindAddr, Is.EqualTo("127.0.0.1"));
        Assert.That(overlay.Server.Enabled, Is.Null, "dev defaults are the agent's business");
        Assert.That(overlay.Client.Enabled, Is.Null);
    }

    [Test]
    public void General_flags_in_every_spelling()
    {
        var (overlay, _) = Overlay("-region=europe", "-dc", "dc2", "--node=n1", "-data-dir", "/var/nomad",
            "-log-level=DEBUG", "-plugin-dir=/opt/plugins");

        Assert.That(overlay.Region, Is.EqualTo("europe"));
        Assert.That(overlay.Datacenter, Is.EqualTo("dc2"));
        Assert.That(overlay.NodeName, Is.EqualTo("n1"));
        Assert.That(overlay.DataDir, Is.EqualTo("/var/nomad"));
        Assert.That(overlay.LogLevel, Is.EqualTo("DEBUG"));
        Assert.That(overlay.PluginDir, Is.EqualTo("/opt/plugins"));
    }

    [Test]
    public void Config_paths_keep_their_order()
    {
        var (_, paths) = Overlay("-config=b.hcl", "-config", "conf.d", "--config=a.json");

        Assert.That(paths, Is.EqualTo(new[] { "b.hcl", "conf.d", "a.json" }));
    }

    [Test]
    public void Server_flags()
    {
        var (overlay, _) = Overlay("-server", "-bootstrap-expect=3", "-join=10.0.0.1", "-join", "10.0.0.2:4648",
            "-retry-join=10.0.0.3", "-retry-interval=15s", "-retry-max=5", "-rejoin");

        Assert.That(overlay.Server.Enabled, Is.True);
        Assert.That(overlay.Server.BootstrapExpect, Is.EqualTo(3));
        Assert.That(overlay.Server.StartJoin, Is.EqualTo(new[] { "10.0.0.1", "10.0.0.2:4648" }));
        Assert.That(overlay.Server.RetryJoin, Is.EqualTo(new[] { "10.0.0.3" }));
        Assert.That(overlay.Server.RetryInterval, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(overlay.Server.RetryMaxAttempts, Is.EqualTo(5));
        Assert.That(overlay.Server.RejoinAfterLeave, Is.True);
    }

    [Test]
    public void Client_flags()
    {
        var (overlay, _) = Overlay("-client", "-servers=10.0.0.1:4647, 10.0.0.2:4647", "-state-dir=/s", "-alloc-dir=/a",
            "-node-class=gpu", "-meta", "rack=r1", "-meta=owner=team=a", "-meta=rack=r2", "-network-interface=eth0", "-network-speed=100");

        Assert.That(overlay.Client.Enabled, Is.True);
        Assert.That(overlay.Client.Servers, Is.EqualTo(new[] { "10.0.0.1:4647", "10.0.0.2:4647" }));
        Assert.That(overlay.Client.StateDir, Is.EqualTo("/s"));
        Assert.That(overlay.Client.AllocDir, Is.EqualTo("/a"));
        Assert.That(overlay.Client.NodeClass, Is.EqualTo("gpu"));
        Assert.That(overlay.Client.Meta, Is.EqualTo(new Dictionary<string, string> { ["rack"] = "r2", ["owner"] = "team=a" }));
        Assert.That(overlay.Client.NetworkInterface, Is.EqualTo("eth0"));
        Assert.That(overlay.Client.NetworkSpeed, Is.EqualTo(100));
    }

    [Test]
    public void A_flag_given_false_is_set_false_not_left_out()
    {
        var (overlay, _) = Overlay("-client=false");

        Assert.That(overlay.Client.Enabled, Is.False);
    }
}
