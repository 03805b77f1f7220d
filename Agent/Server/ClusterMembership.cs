using Nomad.Agent.Consensus;
using Nomad.Agent.Gossip;
using Nomad.Agent.Logging;

namespace Nomad.Agent.Server;

/// <summary>
/// Raft membership driven by gossip, as Nomad's serf handlers and leader reconcile loop do:
/// <list type="bullet">
/// <item>bootstrap_expect = N: a fresh server waits until N servers of its region with expect = N are alive
/// in the pool; the one with the lowest server ID then forms the cluster alone and the others wait to be added.</item>
/// <item>A fresh server that sees a peer of its region already in a Raft cluster (gossip tag
/// <see cref="ServerGossip.InClusterTag"/>) never forms its own: it waits to be added (a replaced server).</item>
/// <item>The leader adds every alive server of its region that is not yet a voter, and removes voters whose
/// server left (gracefully or by force-leave) or was reaped from the pool (force-leave -prune, or failed for
/// longer than the reconnect timeout), as Nomad does. Failed servers stay voters until reaped: they may come back.</item>
/// </list>
/// Membership changes go one at a time through <see cref="IConsensus"/>, which serializes them.
/// </summary>
public sealed class ClusterMembership : IAsyncDisposable
{
    private static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(1);
    private readonly ServerOptions _options;
    private readonly IConsensus _consensus;
    private readonly ServerGossip _gossip;
    private readonly Logger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private Task _loop = Task.CompletedTask;
    // Servers reaped from the pool (by name), whose voter the leader removes unless the address is alive again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ServerPeer> _reaped = new(StringComparer.Ordinal);
    // RPC address → ID of the server last seen alive there (only the reconcile loop touches it). A replacement
    // that reuses a departed server's name and address can briefly carry the old server's `left` record in the
    // pool (gossip keeps one record per name until the newcomer refutes it); that record must not remove the
    // replacement's voter.
    private readonly Dictionary<string, string> _aliveIds = new(StringComparer.Ordinal);

    public ClusterMembership(ServerOptions options, IConsensus consensus, ServerGossip gossip, Logger log)
    {
        _options = options;
        _consensus = consensus;
        _gossip = gossip;
        _log = log;
        _gossip.Changed += e =>
        {
            if (e.Kind == MemberEventKind.Reap && ServerPeer.From(e.Member) is { } reaped && reaped.Region == _options.Region)
                _reaped[reaped.Name] = reaped;
            Wake();
        };
        _consensus.LeadershipChanged += _ => Wake();
    }

    /// <summary>Starts Raft (now, or once bootstrap_expect is met) and the reconcile loop.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (_options.BootstrapExpect <= 1 || _consensus.HasClusterState)
        {
            await _consensus.StartAsync(_options.BootstrapExpect == 1, ct).ConfigureAwait(false);
            _loop = Task.Run(() => ReconcileLoopAsync(_stop.Token));
            return;
        }
        _log.Info($"waiting for {_options.BootstrapExpect} servers of region {_options.Region} to bootstrap (bootstrap_expect)");
        _loop = Task.Run(async () =>
        {
            if (!await BootstrapWhenExpectedAsync(_stop.Token).ConfigureAwait(false)) return;
            await ReconcileLoopAsync(_stop.Token).ConfigureAwait(false);
        });
    }

    /// <summary>Servers of this region that count toward bootstrap_expect: alive and expecting the same N.</summary>
    private List<ServerPeer> ExpectedPeers() =>
        _gossip.Servers().Where(s => s.Region == _options.Region && s.IsAlive && s.Expect == _options.BootstrapExpect).ToList();

    /// <summary>An alive server of this region (not this one) that is already part of a Raft cluster, if any.</summary>
    private ServerPeer? ExistingCluster() =>
        _gossip.Servers().FirstOrDefault(s => s.Region == _options.Region && s.IsAlive && s.InCluster && s.Id != _options.ServerId);

    private async Task<bool> BootstrapWhenExpectedAsync(CancellationToken ct)
    {
        try
        {
            List<ServerPeer> peers;
            while ((peers = ExpectedPeers()).Count < _options.BootstrapExpect && ExistingCluster() is null)
                await WaitAsync(ct).ConfigureAwait(false);
            if (ExistingCluster() is { } member)
            {
                _log.Info($"found a server already in a raft cluster, not bootstrapping; waiting to be added: peer={member.Name}");
                await _consensus.StartAsync(false, ct).ConfigureAwait(false);
                return true;
            }
            var chosen = peers.OrderBy(p => p.Id, StringComparer.Ordinal).First();
            var self = chosen.Id == _options.ServerId;
            _log.Info(self
                ? $"found expected number of peers, bootstrapping cluster: peers=\"{string.Join(",", peers.Select(p => p.RpcAddress))}\""
                : $"found expected number of peers; {chosen.Name} bootstraps the cluster, this server waits to be added");
            await _consensus.StartAsync(self, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) { return false; }
        catch (Exception e)
        {
            _log.Error($"failed to start raft: error=\"{e.Message}\"");
            return false;
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (_consensus.Peers.Count > 0) _gossip.MarkInCluster();
                if (_consensus.IsLeader) await ReconcileAsync(ct).ConfigureAwait(false);
                await WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (NotLeaderException) { }
            catch (Exception e)
            {
                _log.Warn($"failed to reconcile raft peers: error=\"{e.Message}\"");
                try { await Task.Delay(ReconcileInterval, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>The leader's step: add alive servers of the region, remove those that left. One change at a time.</summary>
    private async Task ReconcileAsync(CancellationToken ct)
    {
        var servers = _gossip.Servers().Where(s => s.Region == _options.Region).ToList();
        var voters = _consensus.Peers.ToHashSet(StringComparer.Ordinal);
        foreach (var s in servers.Where(s => s.IsAlive)) _aliveIds[s.RpcAddress] = s.Id;
        foreach (var s in servers.Where(s => s.IsAlive && !voters.Contains(s.RpcAddress)))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var added = await _consensus.AddVoterAsync(s.Id, s.RpcAddress, timeout.Token).ConfigureAwait(false);
            if (added) _log.Info($"added raft peer: peer=\"{s.Name} (Addr: {s.RpcAddress})\"");
            else _log.Warn($"failed to add raft peer (not caught up yet), will retry: peer={s.RpcAddress}");
        }
        foreach (var s in servers.Where(s => s.State == MemberState.Left && voters.Contains(s.RpcAddress) && s.Id != _options.ServerId
                     && (!_aliveIds.TryGetValue(s.RpcAddress, out var aliveId) || aliveId == s.Id)))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            if (await _consensus.RemoveVoterAsync(s.RpcAddress, timeout.Token).ConfigureAwait(false))
                _log.Info($"removed raft peer: peer=\"{s.Name} (Addr: {s.RpcAddress})\"");
        }
        // Reaped servers are gone from the pool, so the loop above cannot see them: remove their voters unless
        // a live member uses that address again (a server that came back).
        foreach (var (name, s) in _reaped.ToArray())
        {
            var back = servers.Any(m => m.RpcAddress == s.RpcAddress && m.State != MemberState.Left);
            if (back || !voters.Contains(s.RpcAddress) || s.Id == _options.ServerId || s.RpcAddress == _options.RpcAdvertise)
            {
                _reaped.TryRemove(name, out _);
                continue;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            if (await _consensus.RemoveVoterAsync(s.RpcAddress, timeout.Token).ConfigureAwait(false))
            {
                _reaped.TryRemove(name, out _);
                _log.Info($"removed raft peer of reaped server: peer=\"{s.Name} (Addr: {s.RpcAddress})\"");
            }
        }
    }

    private void Wake()
    {
        try { _wake.Release(); } catch (ObjectDisposedException) { }
    }

    /// <summary>Waits for a membership or leadership event, or the reconcile interval.</summary>
    private async Task WaitAsync(CancellationToken ct)
    {
        await _wake.WaitAsync(ReconcileInterval, ct).ConfigureAwait(false);
        while (_wake.CurrentCount > 0) await _wake.WaitAsync(0, ct).ConfigureAwait(false); // coalesce bursts
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
