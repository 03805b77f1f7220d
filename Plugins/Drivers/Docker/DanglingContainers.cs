using Docker.DotNet;
using Docker.DotNet.Models;

namespace Nomad.Drivers.Docker;

/// <summary>
/// Nomad's dangling container reconciler: every <c>period</c>, removes containers that carry our alloc label but
/// belong to no task this driver tracks, once older than <c>creation_grace</c> (the grace lets a driver that just
/// restarted recover its tasks first). Whatever happens to an agent or driver, no container of ours stays behind.
/// </summary>
internal sealed class DanglingContainers(Func<DockerClient> docker, Func<DockerPluginConfig> config, Func<string, bool> tracked) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop ??= Task.Run(LoopAsync);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var cfg = config();
            try { await Task.Delay(cfg.DanglingPeriod, _stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (!cfg.DanglingEnabled) continue;
            try { await ReapAsync(cfg.DanglingGrace, _stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            { Console.Error.WriteLine($"[DEBUG] docker: dangling container check failed: {e.Message}"); }
        }
    }

    /// <summary>Removes our untracked containers created more than <paramref name="grace"/> ago; returns how many.</summary>
    public async Task<int> ReapAsync(TimeSpan grace, CancellationToken ct)
    {
        var client = docker();
        var list = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [ContainerSpec.LabelAllocId] = true } },
        }, ct).ConfigureAwait(false);
        var removed = 0;
        var keptTracked = 0;
        foreach (var c in list)
        {
            if (DateTime.UtcNow - c.Created.ToUniversalTime() < grace) continue;
            if (tracked(c.ID)) { keptTracked++; continue; }
            try
            {
                await client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct).ConfigureAwait(false);
                removed++;
                Console.Error.WriteLine($"[INFO]  docker: removed dangling container {c.ID[..12]} ({string.Join(",", c.Names)})");
            }
            catch (DockerContainerNotFoundException) { }
        }
        Console.Error.WriteLine($"[TRACE] docker: dangling container check done: removed={removed} kept_tracked={keptTracked}");
        return removed;
    }

    public void Dispose() => _stop.Cancel();
}
