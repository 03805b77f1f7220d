using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;
using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// /v1/client/fs/*: an allocation's files on the client that runs it: logs (plain or Nomad's JSON frames,
/// across rotated files, optionally followed), one file streamed as frames (optionally followed), ls, stat, cat and readat. Every file is reached through
/// <see cref="AllocFileAccess"/>, which keeps paths (symlinks included) inside the allocation directory.
/// </summary>
public static class ClientFsRoutes
{
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/client/fs/logs/{alloc}", async ctx =>
        {
            var q = ctx.Request.Query;
            var task = q["task"].ToString();
            if (task.Length == 0) throw new BadRequestException("must provide task name");
            var type = q["type"].ToString();
            if (type is not ("stdout" or "stderr")) throw new BadRequestException("log type must be \"stdout\" or \"stderr\"");
            var origin = q["origin"].ToString() is { Length: > 0 } o ? o : "start";
            if (origin is not ("start" or "end")) throw new BadRequestException("origin must be start or end");
            var follow = RequestBody.QueryBool(ctx, "follow", whenEmpty: false);
            var plain = RequestBody.QueryBool(ctx, "plain", whenEmpty: false);
            var offset = Offset(q["offset"].ToString(), "offset");
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, Id(ctx)) is not { } runner) return;
            if (runner.Tasks.All(t => t.Name != task)) throw new BadRequestException($"unknown task name \"{task}\"");
            await StreamLogsAsync(ctx, runner, task, type, origin, offset, follow, plain).ConfigureAwait(false);
        });

        app.MapGet("/v1/client/fs/stream/{alloc}", async ctx =>
        {
            var q = ctx.Request.Query;
            var path = q["path"].ToString();
            if (path.Length == 0) throw new BadRequestException("must provide a file name");
            var origin = q["origin"].ToString() is { Length: > 0 } o ? o : "start";
            if (origin is not ("start" or "end")) throw new BadRequestException("origin must be start or end");
            // Unlike logs, a stream follows unless told not to.
            var follow = !q.ContainsKey("follow") || RequestBody.QueryBool(ctx, "follow", whenEmpty: true);
            var offset = Offset(q["offset"].ToString(), "offset");
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, Id(ctx)) is not { } runner) return;
            using var file = runner.Dir.Files.OpenFile(path);
            await StreamFileAsync(ctx, runner.Dir.Files, path, file, origin, offset, follow).ConfigureAwait(false);
        });

        app.MapGet("/v1/client/fs/ls/{alloc}", async ctx =>
        {
            var path = PathParam(ctx);
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, Id(ctx)) is not { } runner) return;
            var entries = runner.Dir.Files.List(path);
            await ApiJson.WriteAsync(ctx, entries).ConfigureAwait(false);
        });

        app.MapGet("/v1/client/fs/stat/{alloc}", async ctx =>
        {
            var path = PathParam(ctx);
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, Id(ctx)) is not { } runner) return;
            await ApiJson.WriteAsync(ctx, runner.Dir.Files.Stat(path)).ConfigureAwait(false);
        });

        app.MapGet("/v1/client/fs/cat/{alloc}", async ctx =>
        {
            var path = PathParam(ctx);
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, Id(ctx)) is not { } runner) return;
            using var file = runner.Dir.Files.OpenFile(path);
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await CopyAsync(ctx, file, 0, long.MaxValue).ConfigureAwait(false);
        });

        app.MapGet("/v1/client/fs/readat/{alloc}", async ctx =>
        {
            var path = PathParam(ctx);
            var offset = Offset(ctx.Request.Query["offset"].ToString(), "offset");
            var limit = ctx.Request.Query["limit"].ToString() is { Length: > 0 } l ? Offset(l, "limit") : long.MaxValue;
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, Id(ctx)) is not { } runner) return;
            using var file = runner.Dir.Files.OpenFile(path);
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await CopyAsync(ctx, file, offset, limit).ConfigureAwait(false);
        });
    }

    private static string Id(HttpContext ctx) => (string)ctx.Request.RouteValues["alloc"]!;

    private static string PathParam(HttpContext ctx) => ctx.Request.Query["path"].ToString() is { Length: > 0 } p ? p : "/";

    /// <summary>Up to <paramref name="limit"/> bytes of an open file from <paramref name="offset"/> to the response.</summary>
    private static async Task CopyAsync(HttpContext ctx, SafeFileHandle file, long offset, long limit)
    {
        var buffer = new byte[64 * 1024];
        var left = limit;
        int n;
        while (left > 0 && (n = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), offset, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted).ConfigureAwait(false);
            offset += n;
            left -= n;
        }
    }

    private static long Offset(string value, string name)
    {
        if (value.Length == 0) return 0;
        if (!long.TryParse(value, out var n) || n < 0) throw new BadRequestException($"{name}: must be a non-negative integer, got \"{value}\"");
        return n;
    }

    private static async Task StreamLogsAsync(HttpContext ctx, AllocRunner runner, string task, string type, string origin, long offset, bool follow, bool plain)
    {
        var ct = ctx.RequestAborted;
        var files = new TaskLogFiles(runner.Dir.Files, task, type);
        var (index, pos) = files.StartAt(origin, offset);
        ctx.Response.ContentType = plain ? "text/plain; charset=utf-8" : "application/json";
        await ctx.Response.StartAsync(ct).ConfigureAwait(false);
        // StartAsync does not put the headers on the wire: a follow of a silent task would leave its caller
        // waiting for them until the first byte was logged.
        await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var lastWrite = DateTime.UtcNow;

        async Task<bool> DrainAsync()
        {
            using var f = files.TryOpen(index);
            if (f is null) return false;
            var any = false;
            pos = Math.Min(pos, RandomAccess.GetLength(f));
            int n;
            while ((n = await RandomAccess.ReadAsync(f, buffer, pos, ct).ConfigureAwait(false)) > 0)
            {
                pos += n;
                any = true;
                if (plain) await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                else await WriteFrameAsync(ctx, new Dictionary<string, object> { ["Offset"] = pos, ["Data"] = Convert.ToBase64String(buffer, 0, n), ["File"] = files.RelativePath(index) }, ct).ConfigureAwait(false);
            }
            if (any) await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            return any;
        }

        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Whether the task was dead before this read: then nothing more can come after it.
                var dead = runner.Tasks.FirstOrDefault(t => t.Name == task)?.IsDead ?? true;
                if (await DrainAsync().ConfigureAwait(false)) lastWrite = DateTime.UtcNow;
                if (files.List().FirstOrDefault(f => f.Index > index) is { } next)
                {
                    // The driver moved on to a newer file, so this one is complete: take its last bytes and go on.
                    await DrainAsync().ConfigureAwait(false);
                    index = next.Index;
                    pos = 0;
                    continue;
                }
                if (!follow || dead || runner.Destroyed) break;
                if (!plain && DateTime.UtcNow - lastWrite > Heartbeat)
                {
                    await WriteFrameAsync(ctx, new Dictionary<string, object>(), ct).ConfigureAwait(false);
                    await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    lastWrite = DateTime.UtcNow;
                }
                await Task.Delay(FollowPoll, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <summary>
    /// One file as Nomad's stream frames, from <paramref name="origin"/> ± <paramref name="offset"/>; when following,
    /// new bytes as they are written, a <c>file truncated</c> frame (then from its new start) when it shrinks, and a
    /// <c>file deleted</c> frame, ending the stream, when it is gone. Heartbeats (<c>{}</c>) keep an idle stream open.
    /// </summary>
    private static async Task StreamFileAsync(HttpContext ctx, AllocFileAccess files, string path, SafeFileHandle file, string origin, long offset, bool follow)
    {
        var ct = ctx.RequestAborted;
        var length = RandomAccess.GetLength(file);
        var pos = origin == "end" ? Math.Max(0, length - offset) : Math.Min(offset, length);
        ctx.Response.ContentType = "application/json";
        await ctx.Response.StartAsync(ct).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var lastWrite = DateTime.UtcNow;
        Task Event(string fileEvent) =>
            WriteFrameAsync(ctx, new Dictionary<string, object> { ["Offset"] = pos, ["File"] = path, ["FileEvent"] = fileEvent }, ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int n;
                var any = false;
                while ((n = await RandomAccess.ReadAsync(file, buffer, pos, ct).ConfigureAwait(false)) > 0)
                {
                    pos += n;
                    any = true;
                    await WriteFrameAsync(ctx, new Dictionary<string, object> { ["Offset"] = pos, ["Data"] = Convert.ToBase64String(buffer, 0, n), ["File"] = path }, ct).ConfigureAwait(false);
                }
                if (any)
                {
                    await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    lastWrite = DateTime.UtcNow;
                }
                if (!follow) break;
                using (var now = files.TryOpenRegularFile(path))
                {
                    if (now is null)
                    {
                        await Event("file deleted").ConfigureAwait(false);
                        break;
                    }
                }
                if (RandomAccess.GetLength(file) < pos)
                {
                    pos = 0;
                    await Event("file truncated").ConfigureAwait(false);
                    continue;
                }
                if (DateTime.UtcNow - lastWrite > Heartbeat)
                {
                    await WriteFrameAsync(ctx, new Dictionary<string, object>(), ct).ConfigureAwait(false);
                    lastWrite = DateTime.UtcNow;
                }
                await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                await Task.Delay(FollowPoll, ct).ConfigureAwait(false);
            }
            await ctx.Response.Body.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    private static async Task WriteFrameAsync(HttpContext ctx, Dictionary<string, object> frame, CancellationToken ct)
    {
        await JsonSerializer.SerializeAsync(ctx.Response.Body, frame, ApiJson.Compact, ct).ConfigureAwait(false);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
    }
}
