using System.Runtime.InteropServices;
using Nomad.Agent.Config;
using Nomad.Agent.Hcl;
using Nomad.Agent.Logging;

namespace Nomad.Agent;

/// <summary>`nomad agent`: loads the configuration, prints the banner, runs the agent until a signal stops it.</summary>
public static class AgentHost
{
    /// <summary>
    /// Runs `nomad agent` until a signal stops it. <paramref name="flags"/> is the overlay built from the
    /// command line; <paramref name="configPaths"/> are the -config files/directories in order (later wins,
    /// flags win over files). Returns the process exit code, as Nomad's: 0 after a graceful leave, 1 otherwise.
    /// </summary>
    public static async Task<int> RunAsync(AgentConfig flags, IReadOnlyList<string> configPaths, CancellationToken ct)
    {
        var output = Console.Out;
        AgentConfig config;
        try
        {
            config = LoadConfig(flags, configPaths);
            AgentAddresses.Resolve(config);
        }
        catch (Exception e) when (e is ConfigException or HclException)
        {
            Console.Error.WriteLine($"==> Error loading configuration: {e.Message}");
            return 1;
        }

        LogSeverityNames.TryParse(config.LogLevel, out var level);
        var sink = new LogSink(output, level);
        if (config.Files.Count > 0) sink.WriteRaw($"==> Loaded configuration from {string.Join(", ", config.Files)}");
        foreach (var key in config.Unsupported) sink.For("agent").Warn($"ignoring configuration this agent does not support yet: {key}");
        sink.WriteRaw("==> Starting Nomad agent...");

        // Signals are caught from here on: one that arrives while the agent starts is acted on once it is up.
        using var signals = new AgentSignals();
        var agent = new RunningAgent(config, sink);
        sink.Hold();
        try
        {
            await agent.StartAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            sink.Release();
            Console.Error.WriteLine($"==> Error starting agent: {OneLine(e)}");
            await agent.ShutdownAsync().ConfigureAwait(false);
            return 1;
        }
        Banner.Print(sink, config, agent.Addresses);
        sink.Release();

        CaughtSignal signal;
        using (var stopRelease = new CancellationTokenSource())
        {
            var release = IdleMemoryRelease.RunAsync(sink.For("agent"), stopRelease.Token);
            while (true)
            {
                signal = await signals.NextAsync(ct).ConfigureAwait(false);
                sink.WriteRaw($"==> Caught signal: {signal.Name}");
                if (signal.Signal != PosixSignal.SIGHUP) break;
                Reload(flags, configPaths, sink);
            }
            stopRelease.Cancel();
            await release.ConfigureAwait(false);
        }
        if (signal.Signal == PosixSignal.SIGQUIT)
        {
            // Go's default for SIGQUIT, which Nomad's agent does not handle: quit at once, exit 2, no shutdown
            // (tasks keep running, nothing leaves). The Go runtime also dumps its goroutines; we have none to dump.
            return 2;
        }
        var graceful = signal.Signal switch
        {
            PosixSignal.SIGINT => config.LeaveOnInterrupt == true,
            PosixSignal.SIGTERM => config.LeaveOnTerminate == true,
            _ => false,
        };
        var stop = StopAsync(agent, sink, graceful);
        using var stopped = new CancellationTokenSource();
        var another = NextStoppingSignalAsync(signals, stopped.Token);
        if (await Task.WhenAny(stop, another).ConfigureAwait(false) == another)
        {
            // As Nomad's agent: a second signal while stopping (a dev agent waiting on a task's kill_timeout, a
            // leave that hangs) exits at once; what was left undone is what a kill -9 would leave.
            var second = await another.ConfigureAwait(false);
            sink.WriteRaw($"==> Caught signal: {second.Name}");
            return second.Signal == PosixSignal.SIGQUIT ? 2 : 1;
        }
        stopped.Cancel();
        return await stop.ConfigureAwait(false);
    }

    /// <summary>Leaves (when graceful) and shuts the agent down; the exit code, as Nomad's: 0 only after a graceful leave.</summary>
    private static async Task<int> StopAsync(RunningAgent agent, LogSink sink, bool graceful)
    {
        var exit = 1;
        if (graceful)
        {
            sink.WriteRaw("==> Gracefully shutting down agent...");
            if (await agent.LeaveAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false)) exit = 0;
        }
        await agent.ShutdownAsync().ConfigureAwait(false);
        return exit;
    }

    /// <summary>The next signal that stops the agent (a SIGHUP while stopping reloads nothing); read only until the stop is done.</summary>
    private static async Task<CaughtSignal> NextStoppingSignalAsync(AgentSignals signals, CancellationToken ct)
    {
        while (true)
        {
            var signal = await signals.NextAsync(ct).ConfigureAwait(false);
            if (signal.Signal != PosixSignal.SIGHUP) return signal;
        }
    }

    /// <summary>
    /// SIGHUP, as Nomad's agent: reads the configuration files (and flags) again and applies what can change
    /// while running, which is the log level; the rest takes effect at the next start. A configuration that no
    /// longer loads leaves everything as it was.
    /// </summary>
    private static void Reload(AgentConfig flags, IReadOnlyList<string> configPaths, LogSink sink)
    {
        sink.WriteRaw("==> Reloading configuration...");
        AgentConfig config;
        try
        {
            config = LoadConfig(flags, configPaths);
        }
        catch (Exception e) when (e is ConfigException or HclException)
        {
            sink.WriteRaw($"==> Failed to reload configs: {e.Message}");
            return;
        }
        if (LogSeverityNames.TryParse(config.LogLevel, out var level) && level != sink.Minimum)
        {
            sink.Minimum = level;
            sink.For("agent").Info($"log level changed: log_level={config.LogLevel!.ToUpperInvariant()}");
        }
    }

    /// <summary>Dev defaults, then files in order, then flags; Nomad's defaults fill the rest.</summary>
    public static AgentConfig LoadConfig(AgentConfig flags, IReadOnlyList<string> configPaths)
    {
        var fromFiles = ConfigLoader.Load(configPaths);
        var dev = flags.DevMode == true || fromFiles.DevMode == true;
        var merged = (dev ? AgentConfig.DevDefaults() : new AgentConfig()).Merge(fromFiles).Merge(flags).WithDefaults();
        merged.Validate();
        return merged;
    }

    private static string OneLine(Exception e) => e is AgentStartException ? e.Message : $"{e.Message.Split('\n')[0]}";
}

/// <summary>The agent could not start; the message is the one line shown after `==> Error starting agent:`.</summary>
public sealed class AgentStartException(string message, Exception? inner = null) : Exception(message, inner);
