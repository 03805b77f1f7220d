using System.Collections.Concurrent;
using StreamJsonRpc;

namespace Nomad.Agent.Rpc;

/// <summary>
/// One reusable RPC connection per server address (JSON-RPC multiplexes concurrent calls on it). A broken
/// connection is dropped and the next call dials again; coded errors come back as our exceptions.
/// </summary>
public sealed class RpcConnectionPool : IDisposable
{
    private static readonly TimeSpan DialTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, Lazy<Task<JsonRpc>>> _connections = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Calls <paramref name="call"/> on the server at <paramref name="address"/> ("host:port").</summary>
    public async Task<T> CallAsync<TService, T>(string address, Func<TService, Task<T>> call, CancellationToken ct) where TService : class
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rpc = await ConnectAsync(address, ct).ConfigureAwait(false);
        try
        {
            return await call(rpc.Attach<TService>()).ConfigureAwait(false);
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
