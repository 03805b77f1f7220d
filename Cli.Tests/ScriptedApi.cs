using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nomad.Cli.Tests;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers the CLI with scripted Nomad API responses, so a command's requests
/// and its output can be checked end to end over a real socket. Unscripted paths answer 404.
/// </summary>
public sealed class ScriptedApi : IDisposable
{
    public delegate (int Status, string Body, ulong Index) Handler(HttpListenerRequest request, string body);

    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Handler> _routes = new();
    private readonly Task _loop;

    public string Address { get; }
    /// <summary>"METHOD /path?query" (as sent, escapes intact) and the body of every request, in order.</summary>
    public ConcurrentQueue<(string Request, string Body)> Requests { get; } = new();

    public ScriptedApi()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Address = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Address + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Scripts "METHOD /path" (the path as sent, escapes intact; query ignored).</summary>
    public void On(string methodAndPath, Handler handler) => _routes[methodAndPath] = handler;

    public void On(string methodAndPath, string body, ulong index = 1) => On(methodAndPath, (_, _) => (200, body, index));

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            // The path as the client escaped it (a job ID "a/b" is "a%2Fb"), not as a URI parser re-reads it.
            var raw = context.Request.RawUrl ?? "";
            var query = raw.IndexOf('?');
            var key = $"{context.Request.HttpMethod} {(query < 0 ? raw : raw[..query])}";
            Requests.Enqueue(($"{context.Request.HttpMethod} {raw}", body));
            var (status, text, index) = _routes.TryGetValue(key, out var handler) ? handler(context.Request, body) : (404, "not found", 0UL);
            context.Response.StatusCode = status;
            context.Response.Headers["X-Nomad-Index"] = index.ToString();
            var bytes = Encoding.UTF8.GetBytes(text);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
