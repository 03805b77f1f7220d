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
}

/// <summary>
/// The client's allocation side, wired: restores the allocations in the state dir at once, watches the
/// servers for new and changed ones once the node is ready, reports task states in batches, collects garbage.
/// </summary>
public sealed class AllocService : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly List<Task> _loops = new();
    private readonly AllocUpdater _updater;

    private readonly DriverManager _drivers;

    private AllocService(CancellationTokenSource stop, AllocManager manager, AllocUpdater updater, AllocGarbageCollector gc, DriverManager drivers)
    {
        _drivers = drivers;
        _stop = stop;
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
        };
        var manager = new AllocManager(ctx);
        var gc = new AllocGarbageCollector(manager, options.GcInterval, options.GcMaxAllocs, options.GcDiskUsageThreshold);
        var service = new AllocService(stop, manager, updater, gc, drivers);
        manager.Added += gc.Kick;
        drivers.TaskEvent += manager.DriverReported;
        service.RestoredTasks = manager.Restore();

        var watcher = new AllocWatcher(manager, servers, Identity);
        service._loops.Add(Task.Run(async () =>
        {
            try { await client.Ready.WaitAsync(stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            await watcher.RunAsync(stop.Token).ConfigureAwait(false);
        }));
        service._loops.Add(Task.Run(() => gc.RunAsync(stop.Token)));
        return service;
    }

    /// <summary>Stops watching and following tasks; the tasks keep running for the next agent to recover.</summary>
    public async ValueTask DisposeAsync()
    {
        _drivers.TaskEvent -= Manager.DriverReported;
        _stop.Cancel();
        try { await Task.WhenAll(_loops).ConfigureAwait(false); } catch (OperationCanceledException) { }
        await _updater.DisposeAsync().ConfigureAwait(false);
        // What the runners recorded last goes to disk before the agent lets go (the writers never wait on it).
        await Manager.Context.AllocStore.FlushAsync().ConfigureAwait(false);
        await Manager.Context.TaskStore.FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
