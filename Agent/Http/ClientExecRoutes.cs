using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Http;

/// <summary>
/// <c>/v1/client/allocation/:id/exec?task=T&amp;command=["cmd","arg"]&amp;tty=false</c>: Nomad's websocket for
/// `nomad alloc exec`. Bad query parameters are plain HTTP 400s (before the upgrade); after it, input frames go to
/// the task's driver and its output comes back as frames, then <c>{"exited":true,"result":{"exit_code":N}}</c> and a
/// normal close. Errors after the upgrade close the socket with Nomad's code (4000 + HTTP status, 1011 for 500) and
/// the message as the reason. An allocation on another node is proxied to that node's agent.
/// </summary>
public static class ClientExecRoutes
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.UseWebSockets();
        app.Map("/v1/client/allocation/{alloc}/exec", async ctx =>
        {
            var allocId = ctx.Request.RouteValues["alloc"]?.ToString() ?? "";
            var q = ctx.Request.Query;
            var task = q["task"].ToString();
            var command = ParseCommand(q["command"].ToString());
            var tty = RequestBody.QueryBool(ctx, "tty", whenEmpty: false);
            if (!ctx.WebSockets.IsWebSocketRequest) throw new BadRequestException("websocket: the client is not using the websocket protocol");

            if (allocId.Length > 0 && agent.Allocs?.Manager.Get(allocId) is null && agent.Server is not null)
            {
                string? remote = null;
                try { remote = ClientAllocLookup.RemoteHttpAddr(agent, allocId); }
                catch (NotFoundException) { } // reported over the websocket, as every other error
                if (remote is not null) { await ProxyAsync(ctx, remote).ConfigureAwait(false); return; }
            }

            using var ws = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            var session = new Session(ws);
            int code;
            try
            {
                if (allocId.Length == 0) throw new BadRequestException("missing allocation ID");
                var runner = agent.Allocs?.Manager.Get(allocId) ?? throw new NotFoundException($"Unknown allocation \"{allocId}\"");
                code = await AllocExec.RunAsync(runner, task, command, tty, session, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (!ctx.RequestAborted.IsCancellationRequested && e is not OperationCanceledException)
            {
                var status = e switch { BadRequestException => 400, NotFoundException => 404, _ => 500 };
                await session.CloseAsync(ExecStreamingJson.CloseCodeFor(status), e.Message).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (ctx.RequestAborted.IsCancellationRequested) { return; }
            await session.SendAsync(new ExecStreamingOutput { Exited = true, Result = new ExecStreamingExitResult { ExitCode = code } }).ConfigureAwait(false);
            await session.CloseAsync((int)WebSocketCloseStatus.NormalClosure, "").ConfigureAwait(false);
        });
    }

    private static string[] ParseCommand(string json)
    {
        if (json.Length == 0) return [];
        try { return JsonSerializer.Deserialize<string[]>(json) ?? []; }
        catch (JsonException e) { throw new BadRequestException($"failed to unmarshal command into json: {e.Message}"); }
    }

    /// <summary>The user's side of the session: frames in, frames out, one send at a time.</summary>
    private sealed class Session(WebSocket ws) : IExecStream
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        private readonly Channel<ExecInput> _input = Channel.CreateUnbounded<ExecInput>();
        private Task? _receiving;

        // One receive loop for the whole session, never cancelled: cancelling a pending WebSocket receive aborts the
        // socket, and the exit frame and the close must still go out after the driver stopped reading input.
        public async ValueTask<ExecInput?> ReadInputAsync(CancellationToken ct = default)
        {
            _receiving ??= Task.Run(ReceiveLoopAsync, CancellationToken.None);
            while (await _input.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
                if (_input.Reader.TryRead(out var input)) return input;
            return null;
        }

        private async Task ReceiveLoopAsync()
        {
            try
            {
                while (await ReceiveMessageAsync().ConfigureAwait(false) is { } message)
                {
                    var frame = ExecStreamingJson.Decode<ExecStreamingInput>(message);
                    if (frame?.Stdin is { } s) _input.Writer.TryWrite(new ExecInput(Stdin: new ExecStreamData(s.Data, s.Close)));
                    else if (frame?.TtySize is { } size) _input.Writer.TryWrite(new ExecInput(TtySize: new ExecTtySize(size.Height, size.Width)));
                    // {} is a heartbeat; anything else is ignored as Nomad does
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException) { }
            finally { _input.Writer.TryComplete(); }
        }

        /// <summary>One whole message; null when the client closed.</summary>
        private async Task<byte[]?> ReceiveMessageAsync()
        {
            var buffer = new byte[16 * 1024];
            using var all = new MemoryStream();
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close) return null;
                all.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) return all.ToArray();
            }
        }

        public ValueTask WriteOutputAsync(ExecOutput output, CancellationToken ct = default) =>
            new(SendAsync(new ExecStreamingOutput { Stdout = Op(output.Stdout), Stderr = Op(output.Stderr) }, ct));

        private static ExecStreamingIOOperation? Op(ExecStreamData? d) => d is null ? null : new() { Data = d.Data is { Length: > 0 } ? d.Data : null, Close = d.Close };

        public async Task SendAsync(ExecStreamingOutput frame, CancellationToken ct = default)
        {
            await _send.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await ws.SendAsync(ExecStreamingJson.Encode(frame), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            }
            catch (WebSocketException) { } // the user went away; the session's cancellation follows
            finally { _send.Release(); }
        }

        public async Task CloseAsync(int code, string reason)
        {
            await _send.WaitAsync().ConfigureAwait(false);
            try
            {
                using var cts = new CancellationTokenSource(CloseWait);
                if (ws.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await ws.CloseOutputAsync((WebSocketCloseStatus)code, Truncate(reason), cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
            finally { _send.Release(); }
        }

        // A close frame's reason holds at most 123 bytes.
        private static string Truncate(string s)
        {
            while (System.Text.Encoding.UTF8.GetByteCount(s) > 123) s = s[..^(char.IsLowSurrogate(s[^1]) && s.Length > 1 ? 2 : 1)];
            return s;
        }
    }

    /// <summary>Relays the websocket to the same URL on the agent that runs the allocation, messages and close as they come.</summary>
    private static async Task ProxyAsync(HttpContext ctx, string httpAddr)
    {
        using var upstream = new ClientWebSocket();
        var uri = new Uri($"ws://{httpAddr}{RawPathRouting.EscapedPath(ctx)}{ctx.Request.QueryString}");
        await upstream.ConnectAsync(uri, ctx.RequestAborted).ConfigureAwait(false);
        using var downstream = await ctx.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        var a = RelayAsync(downstream, upstream, cts.Token);
        var b = RelayAsync(upstream, downstream, cts.Token);
        await Task.WhenAny(a, b).ConfigureAwait(false);
        cts.CancelAfter(CloseWait);
        try { await Task.WhenAll(a, b).ConfigureAwait(false); } catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private static async Task RelayAsync(WebSocket from, WebSocket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var r = await from.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await to.CloseOutputAsync(r.CloseStatus ?? WebSocketCloseStatus.NormalClosure, r.CloseStatusDescription, ct).ConfigureAwait(false);
                return;
            }
            await to.SendAsync(buffer.AsMemory(0, r.Count), r.MessageType, r.EndOfMessage, ct).ConfigureAwait(false);
        }
    }
}
