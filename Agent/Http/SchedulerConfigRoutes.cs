using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Consensus;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// /v1/operator/scheduler/configuration: GET answers <c>{SchedulerConfig, Index}</c>; PUT/POST replaces it (through Raft),
/// with <c>?cas=INDEX</c> only if its ModifyIndex is still INDEX, answering <c>{Updated, Index}</c> as Nomad's.
/// </summary>
public static class SchedulerConfigRoutes
{
    private const string Path = "/v1/operator/scheduler/configuration";

    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet(Path, ctx => BlockingQuery.RespondAsync(ctx, agent, [Tables.SchedulerConfig], null, snap => new Dictionary<string, object?>
        {
            ["SchedulerConfig"] = snap.SchedulerConfigOrDefault,
            ["Index"] = snap.TableIndex(Tables.SchedulerConfig),
        }));

        app.MapMethods(Path, ["PUT", "POST"], async ctx =>
        {
            var server = agent.Server ?? throw new BadRequestException("this agent is not a server");
            ulong? cas = null;
            if (ctx.Request.Query.TryGetValue("cas", out var casText))
            {
                if (!ulong.TryParse(casText.ToString(), out var parsed))
                    throw new BadRequestException($"Error parsing cas value: strconv.ParseUint: parsing \"{casText}\": invalid syntax");
                cas = parsed;
            }
            var config = Parse(await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false));
            var index = await server.Consensus.ApplyAsync(new SchedulerConfigCommand(config, cas), ctx.RequestAborted).ConfigureAwait(false);
            var updated = server.State.Current.SchedulerConfig?.ModifyIndex == index;
            BlockingQuery.SetHeaders(ctx, agent, index);
            await ApiJson.WriteAsync(ctx, new Dictionary<string, object?> { ["Updated"] = updated, ["Index"] = index }).ConfigureAwait(false);
        });
    }

    /// <summary>The body as Nomad's SchedulerConfiguration; an unknown algorithm is a 400.</summary>
    public static SchedulerConfiguration Parse(JsonObject? body)
    {
        var algorithm = RequestBody.String(body, "SchedulerAlgorithm") ?? "";
        if (algorithm.Length == 0) algorithm = SchedulerConfiguration.BinPack;
        if (algorithm is not (SchedulerConfiguration.BinPack or SchedulerConfiguration.Spread))
            throw new BadRequestException($"invalid scheduler algorithm: {algorithm}");
        var preemption = RequestBody.Get(body, "PreemptionConfig") switch
        {
            null => null,
            JsonObject o => o,
            _ => throw new BadRequestException("PreemptionConfig: must be an object"),
        };
        return new SchedulerConfiguration
        {
            SchedulerAlgorithm = algorithm,
            PreemptionConfig = new PreemptionConfig
            {
                SystemSchedulerEnabled = RequestBody.Bool(preemption, "SystemSchedulerEnabled"),
                SysBatchSchedulerEnabled = RequestBody.Bool(preemption, "SysBatchSchedulerEnabled"),
                BatchSchedulerEnabled = RequestBody.Bool(preemption, "BatchSchedulerEnabled"),
                ServiceSchedulerEnabled = RequestBody.Bool(preemption, "ServiceSchedulerEnabled"),
            },
            MemoryOversubscriptionEnabled = RequestBody.Bool(body, "MemoryOversubscriptionEnabled"),
            RejectJobRegistration = RequestBody.Bool(body, "RejectJobRegistration"),
            PauseEvalBroker = RequestBody.Bool(body, "PauseEvalBroker"),
        };
    }
}
