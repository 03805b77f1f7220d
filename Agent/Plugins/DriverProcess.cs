using System.Diagnostics;
using Nomad.Agent.Logging;
using Nomad.Contracts;
using StreamJsonRpc;

namespace Nomad.Agent.Plugins;

/// <summary>
/// One running driver plugin process and the JSON-RPC session on its stdin/stdout. Its stderr goes to the
/// agent log as `plugin.NAME`. Disposing kills the process (never its process tree: the tasks' shims must live on).
/// </summary>
public sealed class DriverProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Logger _log;

    private DriverProcess(Process process, JsonRpc rpc, Logger log)
    {
        _process = process;
        Rpc = rpc;
        _log = log;
    }

    public JsonRpc Rpc { get; }
    public int Pid => _process.Id;

    /// <summary>Completes when the session ends, for whatever reason (exit, crash, garbage on stdout), with that reason.</summary>
    public Task<string> Ended { get; private set; } = Task.FromResult("");

    /// <summary>Starts the plugin's entry (an executable, or a .dll through <paramref name="dllHost"/>).</summary>
    public static DriverProcess Start(DiscoveredPlugin plugin, string[] dllHost, Logger log, Action<JsonRpc>? beforeListening = null)
    {
        var entry = plugin.EntryPath;
        var psi = entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new ProcessStartInfo(dllHost[0])
            : new ProcessStartInfo(entry);
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var a in dllHost.Skip(1)) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add(entry);
        }
        foreach (var a in plugin.Manifest.Args) psi.ArgumentList.Add(a);
        psi.WorkingDirectory = plugin.Directory;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.Start();
        var rpc = DriverServer.Connect(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        var dp = new DriverProcess(process, rpc, log);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) dp.ForwardStderr(e.Data); };
        process.BeginErrorReadLine();

        var ended = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.Exited += (_, _) => exited.TrySetResult();
        rpc.Disconnected += (_, e) => _ = ReportEndAsync(e);
        dp.Ended = ended.Task;

        // A process that exits also closes its pipe, and either may be seen first: when the pipe closes,
        // give the exit a moment to show so the reason names the exit code rather than a closed pipe.
        async Task ReportEndAsync(JsonRpcDisconnectedEventArgs e)
        {
            var reason = DescribeDisconnect(e);
            if (e.Reason is not (DisconnectedReason.ParseError or DisconnectedReason.StreamError))
                await Task.WhenAny(exited.Task, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            ended.TrySetResult(exited.Task.IsCompleted ? $"plugin process exited with code {SafeExitCode(process)}" : reason);
        }
        _ = exited.Task.ContinueWith(_ => ended.TrySetResult($"plugin process exited with code {SafeExitCode(process)}"), TaskScheduler.Default);
        beforeListening?.Invoke(rpc);
        rpc.StartListening();
        return dp;
    }

    private static string DescribeDisconnect(JsonRpcDisconnectedEventArgs e) => e.Reason switch
    {
        DisconnectedReason.ParseError or DisconnectedReason.StreamError when e.Exception is not null => $"plugin wrote invalid protocol data on stdout: {e.Exception.Message.Split('\n')[0]}",
        DisconnectedReason.RemotePartyTerminated => "plugin closed its connection",
        _ => $"plugin connection lost: {e.Description}",
    };

    private static string SafeExitCode(Process p)
    {
        try { return p.ExitCode.ToString(); } catch (InvalidOperationException) { return "unknown"; }
    }

    /// <summary>Lines that start with a level tag (`[WARN] ...`) keep it; others are INFO.</summary>
    private void ForwardStderr(string line)
    {
        var level = LogSeverity.Info;
        var text = line.TrimStart();
        if (text.StartsWith('[') && text.IndexOf(']') is > 1 and var end && LogSeverityNames.TryParse(text[1..end], out var parsed))
        {
            level = parsed;
            text = text[(end + 1)..].TrimStart();
        }
        _log.Sink.Write(level, _log.Subsystem, text);
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: false);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException) { }
        _process.Dispose();
    }
}
