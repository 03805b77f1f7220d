using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;
using StreamJsonRpc;

namespace Nomad.Agent.Rpc;

/// <summary>
/// The node service on remote servers: keeps one connection to the current server, fails over to the
/// next known server when a call cannot reach it, passes its deadline, or is answered "no leader" (a server cut
/// off in a minority, or one that lost its leader: another may know one, as Nomad's clients retry), and follows
/// the server list the servers return.
/// </summary>
public sealed class RemoteNodeService : INodeService, IDisposable
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);
    private readonly TimeSpan _callTimeout;
    private readonly Logger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private List<string> _servers;
    private int _current;
    // Bumps whenever the connection in use is given up, so calls that fail together on it move on only once.
    private long _generation;
    private JsonRpc? _rpc;
    private INodeService? _proxy;

    /// <param name="callTimeout">
    /// deadline of a call that does not block (default <see cref="RpcConnectionPool.DefaultCallTimeout"/>); a
    /// blocking query gets its wait on top
    /// </param>
    public RemoteNodeService(IEnumerable<string> servers, Logger log, TimeSpan? callTimeout = null)
    {
        _servers = servers.Distinct().ToList();
        if (_servers.Count == 0) throw new ArgumentException("no servers to connect to");
        _log = log;
        _callTimeout = callTimeout ?? RpcConnectionPool.DefaultCallTimeout;
    }

    /// <summary>The known servers, the one in use first (then in failover order).</summary>
    public IReadOnlyList<string> Servers
    {
        get
        {
            var list = _servers;
            var current = Math.Min(_current, list.Count - 1);
            return [.. list.Skip(current), .. list.Take(current)];
        }
    }

    /// <summary>Replaces the server list (PUT /v1/agent/servers); the next call connects to the first of them.</summary>
    public async Task ReplaceServersAsync(IReadOnlyList<string> servers)
    {
        if (servers.Count == 0) throw new ArgumentException("no servers to connect to");
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _rpc?.Dispose();
            _rpc = null;
            _proxy = null;
            _servers = servers.Distinct().ToList();
            _current = 0;
            _generation++;
        }
        finally { _gate.Release(); }
    }

    public Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default) =>
        CallAsync(p => p.RegisterAsync(request, ct), ct);

    public Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default) =>
        CallAsync(p => p.UpdateStatusAsync(request, ct), ct);

    public Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default) =>
        CallAsync(p => p.GetClientAllocsAsync(request, ct), ct, blocksFor: TimeSpan.FromMilliseconds(request.MaxWaitMs * 17 / 16));

    public Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default) =>
        CallAsync(p => p.GetAllocsAsync(request, ct), ct);

    public Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default) =>
        CallAsync(p => p.UpdateAllocsAsync(request, ct), ct);

    /// <param name="blocksFor">how long the server may hold the call (a blocking query's wait and its jitter)</param>
    private async Task<T> CallAsync<T>(Func<INodeService, Task<T>> call, CancellationToken ct, TimeSpan blocksFor = default)
    {
        Exception? last = null;
        var limit = _callTimeout + blocksFor;
        for (var attempt = 0; attempt < _servers.Count; attempt++)
        {
            var (proxy, server, generation, dialError) = await ConnectedAsync(ct).ConfigureAwait(false);
            if (proxy is null)
            {
                last = dialError;
                _log.Debug($"cannot reach server: server={server} error=\"{dialError?.Message}\"");
                await GiveUpAsync(generation).ConfigureAwait(false);
                continue;
            }
            try
            {
                var resp = await call(proxy).WaitAsync(limit, ct).ConfigureAwait(false);
                // Learn servers we were not configured with; appended, so the index of the one in use stays put.
                if (resp is NodeUpdateResponse { Servers.Count: > 0 } update && update.Servers.Except(_servers).Any())
                    _servers = _servers.Union(update.Servers).ToList();
                return resp;
            }
            catch (Exception e) when (Failover(e, limit) is { } reason)
            {
                last = reason;
                _log.Debug($"moving to the next server: server={server} error=\"{reason.Message}\"");
                await GiveUpAsync(generation).ConfigureAwait(false);
            }
            catch (RemoteInvocationException e) { throw RpcErrors.Translate(e); }
        }
        throw new IOException($"no servers reachable: {last?.Message}", last);
    }

    /// <summary>Why another server should get the call after <paramref name="e"/>, or null when the answer stands.</summary>
    private static Exception? Failover(Exception e, TimeSpan limit) => e switch
    {
        ConnectionLostException => e,
        TimeoutException => new TimeoutException($"no answer within {limit}"),
        RemoteInvocationException r when RpcErrors.Translate(r) is NotLeaderException notLeader => notLeader,
        _ => null,
    };

    /// <summary>
    /// The connection in use (dialled if needed), the server it goes to and its generation; no proxy but the
    /// error when that server cannot be dialled.
    /// </summary>
    private async Task<(INodeService? Proxy, string Server, long Generation, Exception? DialError)> ConnectedAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var server = _servers[_current];
            if (_proxy is not null && _rpc is { IsDisposed: false }) return (_proxy, server, _generation, null);
            try
            {
                _rpc = await RpcConnection.DialAsync(server, DialTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return (null, server, _generation, e);
            }
            _proxy = _rpc.Attach<INodeService>();
            return (_proxy, server, _generation, null);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Drops the connection of <paramref name="generation"/> and moves to the next server, unless another call
    /// already did (the calls that shared a broken connection all fail; only the first moves on).
    /// </summary>
    private async Task GiveUpAsync(long generation)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (generation != _generation) return;
            _rpc?.Dispose();
            _rpc = null;
            _proxy = null;
            _current = (_current + 1) % _servers.Count;
            _generation++;
        }
        finally { _gate.Release(); }
    }

    public void Dispose()
    {
        _rpc?.Dispose();
        _gate.Dispose();
    }
}
