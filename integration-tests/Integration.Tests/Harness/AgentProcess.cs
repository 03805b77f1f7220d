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

    private AgentProcess(Process process, string host, int http, int rpc, int serf, string dir)
    {
        _process = process;
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
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
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
        prefix ??= [];
        var psi = new ProcessStartInfo(prefix.Length > 0 ? prefix[0] : Repo.Nomad)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        if (prefix.Length > 0)
        {
            foreach (var word in prefix.Skip(1)) psi.ArgumentList.Add(word);
            psi.ArgumentList.Add(Repo.Nomad);
        }
        psi.ArgumentList.Add("agent");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add($"-config={configPath}");
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var agent = new AgentProcess(process, host, ports[0], ports[1], ports[2], dir);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) agent._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) agent._lines.Enqueue(e.Data); };
        process.Exited += (_, _) => agent._exited.TrySetResult();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

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
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
        }
        Http.Dispose();
        _process.Dispose();
    }
}
