using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Nomad.IntegrationTests.Harness;

/// <summary>
/// A real `nomad agent` child process on its own loopback ports, with its output captured line by line.
/// Disposing kills it (SIGKILL) if it is still running.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Started in the background by a shell (StartInBackground): the agent is the shell's child, not ours.
    private readonly bool _background;
    private readonly TaskCompletionSource<int> _agentPid = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _agentExit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentProcess(Process process, string host, int http, int rpc, int serf, string dir, bool background = false)
    {
        _process = process;
        _background = background;
        Host = host;
        HttpPort = http;
        RpcPort = rpc;
        SerfPort = serf;
        Dir = dir;
        Http = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The address it binds (127.0.0.1 unless started in a network namespace).</summary>
    public string Host { get; }
    public int HttpPort { get; }
    public int RpcPort { get; }
    public int SerfPort { get; }
    /// <summary>A scratch directory for this agent (config file, data_dir).</summary>
    public string Dir { get; }
    public string Address => $"http://{Host}:{HttpPort}";
    public string RpcAddress => $"{Host}:{RpcPort}";
    public HttpClient Http { get; }
    /// <summary>The agent's process ID (in the background, as the shell reported it).</summary>
    public int Pid => _background ? _agentPid.Task.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult() : _process.Id;
    public bool HasExited => _process.HasExited;
    /// <summary>In the background: the SigIgn mask a job the same shell started in the background inherited.</summary>
    public ulong? BackgroundSigIgn { get; private set; }
    public IReadOnlyList<string> Lines => _lines.ToArray();
    public string Output => string.Join("\n", _lines);

    /// <summary>
    /// Starts `nomad agent` with <paramref name="args"/> and a generated config file that puts it on free
    /// loopback ports; <paramref name="extraConfig"/> is appended to that file (HCL).
    /// </summary>
    /// <param name="host">the address to bind (another than loopback inside a network namespace)</param>
    /// <param name="prefix">a command the agent runs under, e.g. `ip netns exec NS` (it must exec, keeping the PID)</param>
    public static AgentProcess Start(IEnumerable<string> args, string extraConfig = "", string? dir = null, int[]? ports = null,
        string host = "127.0.0.1", string[]? prefix = null)
    {
        ports ??= FreePorts.Take(3);
        dir ??= Directory.CreateTempSubdirectory("nomad-it-").FullName;
        var configPath = WriteConfig(dir, host, ports, extraConfig);
        return Launch(args, configPath, dir, ports, host, prefix ?? [], background: false);
    }

    /// <summary>
    /// Starts `nomad agent` as a script does: `nomad agent ... &amp;` in a non-interactive bash, which starts it with
    /// SIGINT and SIGQUIT ignored. The shell waits for it and reports its exit; <see cref="BackgroundSigIgn"/> is the
    /// signal mask a probe started the same way saw, the proof that the agent inherited the ignores.
    /// </summary>
    public static AgentProcess StartInBackground(IEnumerable<string> args, string extraConfig = "", string? dir = null)
    {
        var ports = FreePorts.Take(3);
        dir ??= Directory.CreateTempSubdirectory("nomad-it-").FullName;
        var configPath = WriteConfig(dir, "127.0.0.1", ports, extraConfig);
        return Launch(args, configPath, dir, ports, "127.0.0.1", [], background: true);
    }

    /// <summary>The config file that puts an agent on its ports, plus <paramref name="extraConfig"/>; rewritten by tests to reload.</summary>
    public static string WriteConfig(string dir, string host, int[] ports, string extraConfig)
    {
        var configPath = Path.Combine(dir, "ports.hcl");
        File.WriteAllText(configPath, $$"""
            bind_addr = "{{host}}"
            ports {
              http = {{ports[0]}}
              rpc  = {{ports[1]}}
              serf = {{ports[2]}}
            }
            {{extraConfig}}
            """);
        return configPath;
    }

    private const string PidLine = "nomad-it-agent-pid=", ExitLine = "nomad-it-agent-exit=", SigIgnLine = "nomad-it-background-sigign=";

    private static AgentProcess Launch(IEnumerable<string> args, string configPath, string dir, int[] ports, string host, string[] prefix, bool background)
    {
        var psi = new ProcessStartInfo(background ? "/bin/bash" : prefix.Length > 0 ? prefix[0] : Repo.Nomad)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        if (background)
        {
            // $0 is nomad, "$@" its arguments. A background job's SIGINT/SIGQUIT are ignored; grep shows its own mask.
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add($$"""
                grep '^SigIgn:' /proc/self/status | sed 's/^SigIgn:[[:space:]]*/{{SigIgnLine}}/' &
                wait $!
                "$0" "$@" &
                agent=$!
                echo "{{PidLine}}$agent"
                wait $agent
                echo "{{ExitLine}}$?"
                """);
            psi.ArgumentList.Add(Repo.Nomad);
        }
        else if (prefix.Length > 0)
        {
            foreach (var word in prefix.Skip(1)) psi.ArgumentList.Add(word);
            psi.ArgumentList.Add(Repo.Nomad);
        }
        psi.ArgumentList.Add("agent");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add($"-config={configPath}");
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var agent = new AgentProcess(process, host, ports[0], ports[1], ports[2], dir, background);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (background && agent.Harness(e.Data)) return;
            agent._lines.Enqueue(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) agent._lines.Enqueue(e.Data); };
        process.Exited += (_, _) => agent._exited.TrySetResult();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Takes the shell's own lines (the agent's PID and exit, the probe's mask) out of the agent's output.</summary>
    private bool Harness(string line)
    {
        if (line.StartsWith(PidLine, StringComparison.Ordinal)) _agentPid.TrySetResult(int.Parse(line[PidLine.Length..]));
        else if (line.StartsWith(ExitLine, StringComparison.Ordinal)) _agentExit.TrySetResult(int.Parse(line[ExitLine.Length..]));
        else if (line.StartsWith(SigIgnLine, StringComparison.Ordinal)) BackgroundSigIgn = Convert.ToUInt64(line[SigIgnLine.Length..].Trim(), 16);
        else return false;
        return true;
    }

    /// <summary>Whether the process ignores <paramref name="signal"/> now, from its /proc status (SigIgn bit N-1).</summary>
    public static bool Ignores(int pid, int signal)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return IsSet(Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16), signal);
    }

    /// <summary>Whether a SigIgn mask has <paramref name="signal"/> (bit N-1).</summary>
    public static bool IsSet(ulong mask, int signal) => (mask & (1UL << (signal - 1))) != 0;

    public Task WaitForLineAsync(string contains, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => _lines.Any(l => l.Contains(contains)), timeout ?? TimeSpan.FromSeconds(30), $"agent output line containing \"{contains}\"\n--- output so far:\n{Output}");

    /// <summary>Waits until the agent's own node is `ready` in /v1/nodes and returns its ID.</summary>
    public Task<string> WaitForReadyNodeAsync(TimeSpan? timeout = null) =>
        Eventually.WaitAsync<string>(async () =>
        {
            var nodes = await Http.GetFromJsonAsync<JsonElement>("/v1/nodes");
            return nodes.EnumerateArray().Where(n => n.GetProperty("Status").GetString() == "ready")
                .Select(n => n.GetProperty("ID").GetString()).FirstOrDefault();
        }, timeout ?? TimeSpan.FromSeconds(30), "a ready node");

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString()]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WaitAsync(timeout);
        await _process.WaitForExitAsync();
        // The shell reports the agent's status as $? (128+N when a signal N ended it).
        if (_background) return await _agentExit.Task.WaitAsync(TimeSpan.FromSeconds(5));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_background && _agentPid.Task.IsCompletedSuccessfully && !_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-KILL", _agentPid.Task.Result.ToString()]);
            await kill.WaitForExitAsync();
        }
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
        }
        Http.Dispose();
        _process.Dispose();
    }
}
