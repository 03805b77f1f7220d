using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using StreamJsonRpc;

namespace Nomad.Drivers.RawExec.Tests.Harness;

/// <summary>A real driver process (nomad-driver-raw-exec, or the one <see cref="Binaries.Under"/> names), spoken to over its stdin/stdout as the agent would.</summary>
public sealed class DriverProcess : IAsyncDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<string> _stderr = new();

    public Process Process { get; }
    public JsonRpc Rpc { get; }
    /// <summary>Fingerprints the driver pushed with FingerprintChanged.</summary>
    public ConcurrentQueue<DriverFingerprint> Pushed { get; } = new();
    public string Stderr => string.Join("\n", _stderr);

    private DriverProcess(Process p)
    {
        Process = p;
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        p.BeginErrorReadLine();
        // The agent's side of the pipe: we send on the driver's stdin and receive on its stdout.
        Rpc = DriverServer.Connect(p.StandardInput.BaseStream, p.StandardOutput.BaseStream);
        Rpc.AddLocalRpcMethod(PluginProtocol.Methods.FingerprintChanged, new Action<DriverFingerprint>(fp => Pushed.Enqueue(fp)));
        Rpc.StartListening();
    }

    /// <summary>
    /// Starts the driver; with <paramref name="enable"/>, sends <c>SetConfig</c> with <paramref name="config"/>, or the
    /// driver's default test config (raw_exec: <c>{enabled = true}</c>).
    /// </summary>
    public static async Task<DriverProcess> StartAsync(bool enable = true, object? config = null)
    {
        var psi = new ProcessStartInfo(Binaries.Driver)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["NOMAD_EXECUTOR_PATH"] = Binaries.Executor;
        var d = new DriverProcess(Process.Start(psi)!);
        if (enable)
        {
            var r = await d.Call<ValidationResult>(PluginProtocol.Methods.SetConfig, JsonSerializer.SerializeToElement(config ?? Binaries.Under.Config ?? new { }));
            Assert.That(r.Errors, Is.Empty);
        }
        return d;
    }

    public async Task<T> Call<T>(string method, params object?[] args)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        return await Rpc.InvokeWithCancellationAsync<T>(method, args, cts.Token);
    }

    public async Task Call(string method, params object?[] args)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        await Rpc.InvokeWithCancellationAsync(method, args, cts.Token);
    }

    /// <summary>Waits for the task's exit, up to <paramref name="timeout"/> (default 30 s).</summary>
    public async Task<ExitResult> Wait(string taskId, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? CallTimeout);
        return await Rpc.InvokeWithCancellationAsync<ExitResult>(PluginProtocol.Methods.WaitTask, [taskId], cts.Token);
    }

    /// <summary>kill -9 of the driver alone (not its process tree: the shims must survive it).</summary>
    public void KillHard()
    {
        Process.Kill(entireProcessTree: false);
        Assert.That(Process.WaitForExit(10_000), Is.True, "the driver did not die after SIGKILL");
    }

    public async ValueTask DisposeAsync()
    {
        Rpc.Dispose();
        if (!Process.HasExited)
        {
            // Disposing the JsonRpc closed the driver's stdin (its cue to exit); make sure, whatever state the writer is in.
            try { Process.StandardInput.Close(); } catch (Exception e) when (e is IOException or ObjectDisposedException) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await Process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { Process.Kill(); }
        }
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed && !_stderr.IsEmpty)
            TestContext.Out.WriteLine($"driver stderr:\n{Stderr}");
        Process.Dispose();
    }
}
