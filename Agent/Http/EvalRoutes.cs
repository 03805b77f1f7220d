using Microsoft.AspNetCore.Builder;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/evaluations and /v1/evaluation/:id/*.</summary>
public static class EvalRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/evaluations", ctx =>
        {
            var prefix = ctx.Request.Query["prefix"].ToString();
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Evals, snap =>
                ListOrder.Apply(ctx, prefix.Length == 0 ? snap.Evals.Values : snap.EvalsByPrefix(prefix), prefix.Length > 0,
                    e => e.CreateIndex, e => e.ID).ToList());
        });

        app.MapGet("/v1/evaluation/{id}", ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return BlockingQuery.RespondOneAsync(ctx, agent, Tables.Evals, snap => snap.EvalById(id), e => e.ModifyIndex);
        });

        app.MapGet("/v1/evaluation/{id}/allocations", ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Allocs, snap => AllocsOfEval(snap, id));
        });
    }

    /// <summary>The allocations an evaluation placed; they are all of its job, so the job index narrows the search.</summary>
    private static List<AllocListStub> AllocsOfEval(StateSnapshot snap, string evalId)
    {
        var source = snap.EvalById(evalId) is { } eval ? snap.AllocsForJob(eval.JobID) : snap.Allocs.Values;
        return source.Where(a => a.EvalID == evalId)
            .OrderByDescending(a => a.CreateIndex).ThenBy(a => a.ID, StringComparer.Ordinal)
            .Select(AllocListStub.From).ToList();
    }
}
