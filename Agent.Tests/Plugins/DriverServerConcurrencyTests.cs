using System.IO.Pipelines;
using System.Text.Json;
using Nomad.Contracts;
using StreamJsonRpc;
using TaskStatus = Nomad.Contracts.TaskStatus;

namespace Nomad.Agent.Tests.Plugins;

/// <summary>
/// The driver side of the protocol (Contracts' DriverServer) answers requests concurrently: a call that blocks in
/// the driver (a slow DestroyTask deleting a big directory) must not hold up the ones behind it (the StopTasks of
/// a 200-task stop), whose replies the agent is waiting on.
/// </summary>
public class DriverServerConcurrencyTests
{
    [Test]
    public async Task A_blocked_call_does_not_hold_up_the_next_one()
    {
        var toDriver = new Pipe();
        var toAgent = new Pipe();
        var driver = new BlockingDriver();
        using var server = DriverServer.Connect(toAgent.Writer.AsStream(), toDriver.Reader.AsStream());
        DriverServer.Register(server, driver);
        server.StartListening();
        using var client = DriverServer.Connect(toDriver.Writer.AsStream(), toAgent.Reader.AsStream());
        client.StartListening();

        var slow = client.InvokeAsync(PluginProtocol.Methods.DestroyTask, "slow", true);
        Assert.That(driver.DestroyEntered.Wait(TimeSpan.FromSeconds(10)), "DestroyTask reached the driver");

        // The driver thread serving DestroyTask is still blocked: a second request must be answered meanwhile.
        var fast = await client.InvokeAsync<TaskStatus>(PluginProtocol.Methods.InspectTask, "fast").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(fast.ID, Is.EqualTo("fast"));
        Assert.That(slow.IsCompleted, Is.False, "DestroyTask is still blocked when InspectTask has been answered");

        driver.Release.Set();
        await slow.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class BlockingDriver : IDriverPlugin
    {
        public readonly ManualResetEventSlim DestroyEntered = new();
        public readonly ManualResetEventSlim Release = new();

        public Task DestroyTaskAsync(string taskId, bool force, CancellationToken ct = default)
        {
            // Synchronous work before the first await, as a recursive directory delete is.
            DestroyEntered.Set();
            Release.Wait(TimeSpan.FromSeconds(30));
            return Task.CompletedTask;
        }

        public Task<TaskStatus> InspectTaskAsync(string taskId, CancellationToken ct = default) =>
            Task.FromResult(new TaskStatus(taskId, "t", TaskStates.Running, DateTime.UtcNow, null, null));

        public Task<PluginInfo> PluginInfoAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<ValidationResult> SetConfigAsync(JsonElement config, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<ValidationResult> ValidateTaskConfigAsync(JsonElement config, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<DriverCapabilities> CapabilitiesAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<DriverFingerprint> FingerprintAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<TaskHandle> StartTaskAsync(TaskConfig task, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<ExitResult> WaitTaskAsync(string taskId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task StopTaskAsync(string taskId, long timeoutMs, string signal, CancellationToken ct = default) => throw new NotSupportedException();
        public Task RecoverTaskAsync(TaskHandle handle, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<TaskResourceUsage> TaskStatsAsync(string taskId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task SignalTaskAsync(string taskId, string signal, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<ExecResult> ExecTaskAsync(string taskId, string[] command, long timeoutMs, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
