using Nomad.Agent.Client.Artifacts;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Client.Allocs;

/// <summary>How the client runs and collects allocations (from the agent's client block).</summary>
public sealed record AllocServiceOptions
{
    public required string StateDir { get; init; }
    public required string AllocDir { get; init; }
    public required string Region { get; init; }
    public TimeSpan GcInterval { get; init; } = TimeSpan.FromMinutes(1);
    public int GcMaxAllocs { get; init; } = 50;
    public double GcDiskUsageThreshold { get; init; } = 80;
    public ArtifactOptions Artifacts { get; init; } = new();
}

/// <summary>
/// The client's allocation side, wired: restores the allocations in the state dir at once, watches the
/// servers for new and changed ones once the node is ready, reports task states in batches, collects garbage.
/// </summary>
public sealed class AllocService : IAsyncDisposable
{
    // _stop ends everything, the following of tasks included; _watch only the watcher and the collector.
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _watch;
    private readonly List<Task> _loops = new();
    private readonly AllocUpdater _updater;

    private readonly DriverManager _drivers;

    private AllocService(CancellationTokenSource stop, AllocManager manager, AllocUpdater updater, AllocGarbageCollector gc, DriverManager drivers)
    {
        _drivers = drivers;
        _stop = stop;
        _watch = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        Manager = manager;
        _updater = updater;
        Gc = gc;
    }

    public AllocManager Manager { get; }
    public AllocGarbageCollector Gc { get; }

    /// <summary>The task IDs the restored allocations own (other task records in the state dir are orphans).</summary>
    public IReadOnlySet<string> RestoredTasks { get; private set; } = new HashSet<string>();

    /// <summary>Whether every state change has been sent to the servers.</summary>
    public bool UpdatesSent => _updater.Idle;

    public static AllocService Start(NomadClient client, INodeService servers, DriverManager drivers, ClientStateStore taskStore, AllocServiceOptions options, Logger log)
    {
        (string, string) Identity() => (client.Identity.NodeId, client.Identity.SecretId);
        var updater = new AllocUpdater(servers, Identity, log.Named("alloc_updater"));
        var stop = new CancellationTokenSource();
        var ctx = new AllocRunnerContext
        {
            Drivers = drivers,
            TaskStore = taskStore,
            AllocStore = new AllocStateStore(options.StateDir, log),
            AllocDirRoot = options.AllocDir,
            Node = () => client.Node,
            Region = options.Region,
            Updater = updater,
            Log = log,
            Shutdown = stop.Token,
            Artifacts = new ArtifactFetcher(options.Artifacts, log.Named("artifact")),
        };
        var manager = new AllocManager(ctx);
        var gc = new AllocGarbageCollector(manager, options.GcInterval, options.GcMaxAllocs, options.GcDiskUsageThreshold);
        var service = new AllocService(stop, manager, updater, gc, drivers);
        manager.Added += gc.Kick;
        drivers.TaskEvent += manager.DriverReported;
        service.RestoredTasks = manager.Restore();

        var watcher = new AllocWatcher(manager, servers, Identity);
        var watch = service._watch.Token;
        service._loops.Add(Task.Run(async () =>
        {
            try { await client.Ready.WaitAsync(watch).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            await watcher.RunAsync(watch).ConfigureAwait(false);
        }));
        service._loops.Add(Task.Run(() => gc.RunAsync(watch)));
        return service;
    }

    /// <summary>
    /// What a dev agent does at shutdown (Nomad's client in DevMode): stops taking allocations from the servers,
    /// then kills every task through its driver (kill_signal, kill_timeout) and destroys every allocation.
    /// Completes when all are destroyed, or at <paramref name="ct"/>, leaving what did not stop in time.
    /// </summary>
    public async Task DestroyAllAsync(CancellationToken ct)
    {
        await _watch.CancelAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_loops).ConfigureAwait(false); } catch (OperationCanceledException) { }
        await Manager.DestroyAllAsync().WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stops watching and following tasks; the tasks keep running for the next agent to recover.</summary>
    public async ValueTask DisposeAsync()
    {
        _drivers.TaskEvent -= Manager.DriverReported;
        _stop.Cancel();
        _watch.Dispose();
        try { await Task.WhenAll(_loops).ConfigureAwait(false); } catch (OperationCanceledException) { }
        await _updater.DisposeAsync().ConfigureAwait(false);
        // What the runners recorded last goes to disk before the agent lets go (the writers never wait on it).
        await Manager.Context.AllocStore.FlushAsync().ConfigureAwait(false);
        await Manager.Context.TaskStore.FlushAsync().ConfigureAwait(false);
        Manager.Context.Artifacts.Dispose();
        _stop.Dispose();
    }
}
