using System.Collections.Concurrent;
using StreamJsonRpc;

namespace Nomad.Agent.Rpc;

/// <summary>
/// One reusable RPC connection per server address (JSON-RPC multiplexes concurrent calls on it). A broken
/// connection is dropped and the next call dials again; coded errors come back as our exceptions.
/// Every call has a deadline (<see cref="DefaultCallTimeout"/>, or the caller's for blocking queries): a call
/// that passes it drops the connection (the server may be gone without a TCP reset) and fails with
/// <see cref="RpcTimeoutException"/>.
/// </summary>
public sealed class RpcConnectionPool : IDisposable
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);
    /// <summary>Deadline of a call that does not block (a write through Raft, a read).</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(15);
    private string? _leader;
    private readonly ConcurrentDictionary<string, Lazy<Task<JsonRpc>>> _connections = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Calls <paramref name="call"/> on the server at <paramref name="address"/> ("host:port").</summary>
    /// <param name="timeout">the call's deadline; <see cref="DefaultCallTimeout"/> when null</param>
    /// <param name="methodPrefix">prepended to the method names (a target the server registered under a prefix)</param>
    public async Task<T> CallAsync<TService, T>(string address, Func<TService, Task<T>> call, CancellationToken ct, TimeSpan? timeout = null,
        string? methodPrefix = null) where TService : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rpc = await ConnectAsync(address, ct).ConfigureAwait(false);
        var limit = timeout ?? DefaultCallTimeout;
        try
        {
            var proxy = methodPrefix is null
                ? rpc.Attach<TService>()
                : rpc.Attach<TService>(new JsonRpcProxyOptions { MethodNameTransform = n => methodPrefix + n });
            return await call(proxy).WaitAsync(limit, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Drop(address, rpc);
            throw new RpcTimeoutException(address, limit);
        }
        catch (RemoteInvocationException e) { throw RpcErrors.Translate(e); }
        catch (ConnectionLostException)
        {
            Drop(address, rpc);
            throw new IOException($"lost connection to server {address}");
        }
    }

    private async Task<JsonRpc> ConnectAsync(string address, CancellationToken ct)
    {
        while (true)
        {
            var lazy = _connections.GetOrAdd(address, a => new Lazy<Task<JsonRpc>>(() => RpcConnection.DialAsync(a, DialTimeout, CancellationToken.None)));
            JsonRpc rpc;
            try { rpc = await lazy.Value.WaitAsync(ct).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _connections.TryRemove(new KeyValuePair<string, Lazy<Task<JsonRpc>>>(address, lazy));
                throw new ServerUnreachableException(address, e);
            }
            if (!rpc.IsDisposed && !rpc.Completion.IsCompleted) return rpc;
            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<JsonRpc>>>(address, lazy));
        }
    }

    /// <summary>
    /// Tells the pool which server is the leader now: when it changes, the connection to the previous one is
    /// dropped, so a later call never waits on a socket to a leader that went away silently.
    /// </summary>
    public void NoteLeader(string leader)
    {
        var previous = Interlocked.Exchange(ref _leader, leader);
        if (previous is not null && previous != leader) Drop(previous);
    }

    /// <summary>Closes the pooled connection to <paramref name="address"/>, if any.</summary>
    public void Drop(string address)
    {
        if (_connections.TryRemove(address, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            lazy.Value.Result.Dispose();
    }

    private void Drop(string address, JsonRpc rpc)
    {
        if (_connections.TryGetValue(address, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result == rpc)
            _connections.TryRemove(new KeyValuePair<string, Lazy<Task<JsonRpc>>>(address, lazy));
        rpc.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var lazy in _connections.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
        _connections.Clear();
    }
}

/// <summary>The server could not be dialled: nothing was sent, so the call may be retried elsewhere.</summary>
public sealed class ServerUnreachableException(string address, Exception inner)
    : IOException($"cannot reach server {address}: {inner.Message}", inner)
{
    public string Address { get; } = address;
}

/// <summary>The server did not answer within the call's deadline (the request may or may not have been applied).</summary>
public sealed class RpcTimeoutException(string address, TimeSpan timeout)
    : IOException($"timed out after {timeout.TotalSeconds:0.#} s waiting for server {address}")
{
    public string Address { get; } = address;
}
