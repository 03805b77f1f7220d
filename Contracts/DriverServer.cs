using System.Text.Json;
using StreamJsonRpc;

namespace Nomad.Contracts;

/// <summary>
/// Serves an <see cref="IDriverPlugin"/> on this process's stdin/stdout with the agent's protocol
/// (<see cref="PluginProtocol"/>). A driver's <c>Main</c> is one line:
/// <code>return await DriverServer.RunAsync(host => new MyDriver(host));</code>
/// </summary>
public static class DriverServer
{
    /// <summary>Serves <paramref name="driver"/> until the agent closes the pipe; returns the exit code.</summary>
    public static Task<int> RunAsync(IDriverPlugin driver) => RunAsync(_ => driver);

    /// <summary>Serves the driver <paramref name="create"/> makes, giving it the host to push fingerprints to.</summary>
    public static async Task<int> RunAsync(Func<IDriverHost, IDriverPlugin> create)
    {
        var input = Console.OpenStandardInput();
        var output = Console.OpenStandardOutput();
        // stdout belongs to the protocol from here on: anything the driver prints goes to stderr (the agent's log).
        Console.SetOut(Console.Error);
        using var rpc = Connect(output, input);
        var driver = create(new Host(rpc));
        Register(rpc, driver);
        rpc.StartListening();
        try { await rpc.Completion.ConfigureAwait(false); }
        catch (Exception e) { await Console.Error.WriteLineAsync($"[ERROR] driver: connection to the agent failed: {e.Message}").ConfigureAwait(false); return 1; }
        return 0;
    }

    /// <summary>The framing both ends use: Content-Length headers, JSON with the records' own property names.</summary>
    public static JsonRpc Connect(Stream send, Stream receive)
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.PropertyNamingPolicy = null;
        return new JsonRpc(new HeaderDelimitedMessageHandler(send, receive, formatter));
    }

    /// <summary>Binds the protocol's method names to the driver's methods.</summary>
    public static void Register(JsonRpc rpc, IDriverPlugin d)
    {
        // StreamJsonRpc's default runs a call on the reading loop until the call first awaits, and reads the next
        // message only then: one DestroyTask deleting a directory, or a StartTask preparing a chroot, would hold up
        // every StopTask behind it. Each call goes to the thread pool instead (streamed input is reordered by seq).
        rpc.SynchronizationContext = ConcurrentDispatch.Instance;
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.PluginInfo, new Func<CancellationToken, Task<PluginInfo>>(d.PluginInfoAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.SetConfig, new Func<JsonElement, CancellationToken, Task<ValidationResult>>(d.SetConfigAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.ValidateTaskConfig, new Func<JsonElement, CancellationToken, Task<ValidationResult>>(d.ValidateTaskConfigAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.Capabilities, new Func<CancellationToken, Task<DriverCapabilities>>(d.CapabilitiesAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.Fingerprint, new Func<CancellationToken, Task<DriverFingerprint>>(d.FingerprintAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.StartTask, new Func<TaskConfig, CancellationToken, Task<TaskHandle>>(d.StartTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.WaitTask, new Func<string, CancellationToken, Task<ExitResult>>(d.WaitTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.StopTask, new Func<string, long, string, CancellationToken, Task>(d.StopTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.DestroyTask, new Func<string, bool, CancellationToken, Task>(d.DestroyTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.InspectTask, new Func<string, CancellationToken, Task<TaskStatus>>(d.InspectTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.RecoverTask, new Func<TaskHandle, CancellationToken, Task>(d.RecoverTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.TaskStats, new Func<string, CancellationToken, Task<TaskResourceUsage>>(d.TaskStatsAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.SignalTask, new Func<string, string, CancellationToken, Task>(d.SignalTaskAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.ExecTask, new Func<string, string[], long, CancellationToken, Task<ExecResult>>(d.ExecTaskAsync));
        var sessions = new ExecSessions(rpc, d);
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.ExecTaskStreaming, new Func<string, string, string[], bool, CancellationToken, Task<ExecStreamResult>>(sessions.RunAsync));
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.ExecStreamInput, new Action<string, long, ExecInput>(sessions.Input));
    }

    /// <summary>The driver's side of streaming exec sessions: input notifications in, output notifications out.</summary>
    private sealed class ExecSessions(JsonRpc rpc, IDriverPlugin driver)
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ExecStreamRelay<ExecInput>> _open = new();

        // Input may be dispatched before the request that opens its session: either creates the relay.
        public void Input(string execId, long seq, ExecInput input) =>
            _open.GetOrAdd(execId, _ => new()).Deliver(seq, input);

        public async Task<ExecStreamResult> RunAsync(string taskId, string execId, string[] command, bool tty, CancellationToken ct)
        {
            var relay = _open.GetOrAdd(execId, _ => new());
            try
            {
                var stream = new SessionStream(rpc, execId, relay);
                var code = await driver.ExecTaskStreamingAsync(taskId, command, tty, stream, ct).ConfigureAwait(false);
                await stream.Drained.ConfigureAwait(false);
                return new ExecStreamResult(code, relay.Sent);
            }
            finally
            {
                relay.Complete();
                _open.TryRemove(execId, out _);
            }
        }

        private sealed class SessionStream(JsonRpc rpc, string execId, ExecStreamRelay<ExecInput> relay) : IExecStream
        {
            private readonly SemaphoreSlim _send = new(1, 1);
            private Task _last = Task.CompletedTask;
            public Task Drained => _last;

            public ValueTask<ExecInput?> ReadInputAsync(CancellationToken ct = default) => relay.ReadAsync(ct);

            public async ValueTask WriteOutputAsync(ExecOutput output, CancellationToken ct = default)
            {
                await _send.WaitAsync(ct).ConfigureAwait(false);
                try { _last = rpc.NotifyAsync(PluginProtocol.Methods.ExecStreamOutput, execId, relay.NextSendSeq(), output); await _last.ConfigureAwait(false); }
                finally { _send.Release(); }
            }
        }
    }

    /// <summary>Runs every incoming call on the thread pool, so none waits for the one before it to yield.</summary>
    private sealed class ConcurrentDispatch : SynchronizationContext
    {
        public static readonly ConcurrentDispatch Instance = new();
        public override void Post(SendOrPostCallback d, object? state) => ThreadPool.UnsafeQueueUserWorkItem(static s => s.d(s.state), (d, state), preferLocal: false);
        public override void Send(SendOrPostCallback d, object? state) => d(state);
        public override SynchronizationContext CreateCopy() => this;
    }

    private sealed class Host(JsonRpc rpc) : IDriverHost
    {
        public Task PublishFingerprintAsync(DriverFingerprint fingerprint) =>
            rpc.NotifyAsync(PluginProtocol.Methods.FingerprintChanged, fingerprint);

        public Task PublishTaskEventAsync(DriverTaskEvent taskEvent) =>
            rpc.NotifyAsync(PluginProtocol.Methods.TaskEvent, taskEvent);
    }
}
