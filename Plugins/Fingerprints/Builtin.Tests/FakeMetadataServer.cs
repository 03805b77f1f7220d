using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nomad.Fingerprints.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for a cloud metadata service: answers each request with
/// <see cref="Handler"/> and records what was asked.
/// </summary>
internal sealed class FakeMetadataServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public record Request(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);

    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>Maps a request to (status, body).</summary>
    public Func<Request, (int Status, string Body)> Handler { get; }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/";

    public FakeMetadataServer(Func<Request, (int Status, string Body)> handler)
    {
        Handler = handler;
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                Port = port;
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // someone took the port between the probe and Start: try another
            }
        }
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>A port nothing listens on right now (bound then released).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }

            var req = new Request(ctx.Request.HttpMethod, ctx.Request.Url!.PathAndQuery, ctx.Request.Headers.AllKeys.OfType<string>().ToDictionary(k => k, k => ctx.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase));
            Requests.Enqueue(req);
            var (status, body) = Handler(req);
            var bytes = Encoding.UTF8.GetBytes(body);
            try
            {
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = "text/plain";
                ctx.Response.ContentLength64 = bytes.Length;
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // the client gave up (timeout) before the answer: nothing to send it to
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        // The accept loop ends when the listener closes; never let a test's clean-up wait on it forever.
        await _loop.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Sees every HTTP request this process sends through HttpClient (System.Net.Http's diagnostic events).</summary>
internal sealed class OutgoingHttpRequests : IDisposable
{
    private readonly IDisposable _all;
    private readonly ConcurrentBag<IDisposable> _subscriptions = [];

    public ConcurrentQueue<Uri> Seen { get; } = new();

    public OutgoingHttpRequests()
    {
        _all = System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(new AllListenersObserver(this));
    }

    private sealed class AllListenersObserver(OutgoingHttpRequests owner) : IObserver<System.Diagnostics.DiagnosticListener>
    {
        public void OnNext(System.Diagnostics.DiagnosticListener listener)
        {
            if (listener.Name == "HttpHandlerDiagnosticListener")
                owner._subscriptions.Add(listener.Subscribe(new EventObserver(owner), (_, _, _) => true));
        }
        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }

    private sealed class EventObserver(OutgoingHttpRequests owner) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key is not ("System.Net.Http.Request" or "System.Net.Http.HttpRequestOut.Start")) return;
            var request = e.Value?.GetType().GetProperty("Request")?.GetValue(e.Value) as HttpRequestMessage;
            if (request?.RequestUri is { } uri) owner.Seen.Enqueue(uri);
        }
        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }

    public void Dispose()
    {
        _all.Dispose();
        foreach (var s in _subscriptions) s.Dispose();
    }
}
