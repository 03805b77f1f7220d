using Microsoft.AspNetCore.Http;
using Nomad.Agent.Config;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Nomad's blocking queries: `?index=N` waits until the watched table passes N, for at most `?wait`
/// (default 5 min, capped at 5 min, plus up to wait/16 of jitter so herds spread), then answers with
/// X-Nomad-Index and the leader headers.
/// </summary>
public static class BlockingQuery
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    /// <summary>Runs <paramref name="query"/> over a snapshot that has moved past `?index` (or the wait ran out) and writes the answer.</summary>
    public static Task RespondAsync(HttpContext ctx, IAgentInfo agent, string table, Func<StateSnapshot, object?> query) =>
        RespondAsync(ctx, agent, [table], NotFound(table), query);

    /// <summary>Nomad's 404 text for a row missing from <paramref name="table"/> ("job not found", "alloc not found").</summary>
    private static string NotFound(string table) => $"{table.TrimEnd('s')} not found";

    /// <summary>
    /// As above for an answer built from several tables: waits until any of them passes `?index` and reports
    /// the highest of their indexes. A null answer is a 404 with <paramref name="notFound"/>, or JSON null
    /// when <paramref name="notFound"/> is null.
    /// </summary>
    public static async Task RespondAsync(HttpContext ctx, IAgentInfo agent, string[] tables, string? notFound, Func<StateSnapshot, object?> query)
    {
        var server = agent.Server ?? throw new BadRequestException("this agent is not a server and has no server to forward this request to");
        var (index, wait) = Parse(ctx.Request.Query);
        var snap = index == 0
            ? server.State.Current
            : await server.State.WaitForTablesAsync(tables, index, wait, ctx.RequestAborted).ConfigureAwait(false);
        var result = query(snap);
        // A table never written reports 0, as Nomad's state store does (no clamping to 1: a client that then
        // asks ?index=0 is answered at once, which Nomad's clients expect).
        SetHeaders(ctx, agent, snap.TableIndex(tables));
        if (result is null && notFound is not null) throw new NotFoundException(notFound);
        await ApiJson.WriteAsync(ctx, result).ConfigureAwait(false);
    }

    /// <summary>
    /// A read of one object (Nomad's Job.GetJob, Alloc.GetAlloc, Eval.GetEval, Node.GetNode): the index is the
    /// object's ModifyIndex, or the table's when there is no such object, and `?index` waits until that index
    /// passes it - a write to another row of the table does not end the wait. A missing object is a 404
    /// naming the table's kind.
    /// </summary>
    public static async Task RespondOneAsync<T>(HttpContext ctx, IAgentInfo agent, string table, Func<StateSnapshot, T?> lookup, Func<T, ulong> modifyIndex)
        where T : class
    {
        var server = agent.Server ?? throw new BadRequestException("this agent is not a server and has no server to forward this request to");
        var (minIndex, wait) = Parse(ctx.Request.Query);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var snap = server.State.Current;
        var result = lookup(snap);
        ulong IndexOf(StateSnapshot s, T? r) => r is null ? s.TableIndex(table) : modifyIndex(r);
        while (minIndex > 0 && IndexOf(snap, result) <= minIndex && waited.Elapsed < wait)
        {
            // Any write to the table may be a write to this object: look again after each one.
            snap = await server.State.WaitForTableAsync(table, snap.TableIndex(table), wait - waited.Elapsed, ctx.RequestAborted).ConfigureAwait(false);
            result = lookup(snap);
        }
        SetHeaders(ctx, agent, IndexOf(snap, result));
        if (result is null) throw new NotFoundException(NotFound(table));
        await ApiJson.WriteAsync(ctx, result).ConfigureAwait(false);
    }

    public static (ulong Index, TimeSpan Wait) Parse(IQueryCollection q)
    {
        ulong index = 0;
        if (q.TryGetValue("index", out var i) && !ulong.TryParse(i.ToString(), out index))
            throw new BadRequestException($"Invalid index: \"{i}\" is not a non-negative integer");
        var wait = DefaultWait;
        if (q.TryGetValue("wait", out var w))
        {
            if (!GoDuration.TryParse(w.ToString(), out wait) || wait < TimeSpan.Zero)
                throw new BadRequestException($"Invalid wait time: \"{w}\"");
            if (wait > MaxWait) wait = MaxWait;
        }
        if (index > 0) wait += TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * wait.Ticks / 16));
        return (index, wait);
    }

    public static void SetHeaders(HttpContext ctx, IAgentInfo agent, ulong index)
    {
        var consensus = agent.Server?.Consensus;
        ctx.Response.Headers["X-Nomad-Index"] = index.ToString();
        ctx.Response.Headers["X-Nomad-KnownLeader"] = consensus?.LeaderAddress is null ? "false" : "true";
        ctx.Response.Headers["X-Nomad-LastContact"] = "0";
    }
}
