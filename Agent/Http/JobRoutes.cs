using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Logging;
using Nomad.Agent.Server;
using Nomad.Agent.Server.Dispatch;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/jobs, /v1/jobs/parse and /v1/job/:id/*.</summary>
public static class JobRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent, Logger log)
    {
        var endpoint = new Lazy<JobEndpoint>(() =>
        {
            var server = Server(agent);
            return new JobEndpoint(server.Consensus, server.State, server.Options.Region, log);
        });
        var dispatch = new Lazy<DispatchEndpoint>(() =>
        {
            var server = Server(agent);
            return new DispatchEndpoint(server.Consensus, server.State, log);
        });

        app.MapGet("/v1/jobs", ctx =>
        {
            var prefix = ctx.Request.Query["prefix"].ToString();
            return BlockingQuery.RespondAsync(ctx, agent, [Tables.Jobs, Tables.Allocs, Tables.Evals], "jobs not found", snap =>
                (prefix.Length == 0 ? snap.Jobs.Values : snap.JobsByPrefix(prefix))
                .Select(j => JobListStub.From(j, Summary(snap, j))).ToList());
        });

        app.MapMethods("/v1/jobs", ["PUT", "POST"], ctx => RegisterAsync(ctx, agent, endpoint.Value, null, log));

        app.MapMethods("/v1/jobs/parse", ["PUT", "POST"], async ctx =>
        {
            var body = await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false);
            var hcl = RequestBody.String(body, "JobHCL");
            if (string.IsNullOrWhiteSpace(hcl)) throw new BadRequestException("Job spec is empty");
            // As Nomad's endpoint: HCL2 unless "hclv1"; no filesystem functions and no environment on the server.
            var options = new JobFileOptions { Hcl1 = RequestBody.Bool(body, "HCLv1") };
            JsonObject job;
            try { job = JobFile.ParseToApiJson(hcl, "input.hcl", options, RequestBody.Bool(body, "Canonicalize")); }
            catch (JobspecException e) { throw new BadRequestException(string.Join("; ", e.Problems)); }
            await ApiJson.WriteAsync(ctx, job).ConfigureAwait(false);
        });

        // Nomad's /v1/validate/job: what registering the body's job would refuse, as a report (200) rather than an error.
        app.MapMethods("/v1/validate/job", ["PUT", "POST"], async ctx =>
        {
            var body = await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false);
            if (RequestBody.Get(body, "Job") is not JsonObject) throw new BadRequestException("Job must be specified");
            var errors = new List<string>();
            var check = LocalTaskConfigCheck.For(agent.Drivers, log);
            try
            {
                var job = ReadJob(body, agent, pathId: null);
                errors.AddRange(JobValidator.Validate(job));
                if (check is not null) errors.AddRange(await check(job, ctx.RequestAborted).ConfigureAwait(false));
            }
            catch (BadRequestException e)
            {
                errors.Add(e.Message);
            }
            // Nomad reports the driver config as validated: the server checked everything it could.
            await ApiJson.WriteAsync(ctx, new JobValidateResponse(true, errors)).ConfigureAwait(false);
        });

        app.MapGet("/v1/job/{id}", ctx =>
        {
            var id = Id(ctx);
            return BlockingQuery.RespondOneAsync(ctx, agent, Tables.Jobs, snap => WithPayloadDecompressed(snap.JobById(id)), j => j.ModifyIndex);
        });

        app.MapMethods("/v1/job/{id}", ["PUT", "POST"], ctx => RegisterAsync(ctx, agent, endpoint.Value, Id(ctx), log));

        app.MapDelete("/v1/job/{id}", async ctx =>
        {
            var purge = RequestBody.QueryBool(ctx, "purge");
            var reply = await endpoint.Value.DeregisterAsync(Id(ctx), purge, ctx.RequestAborted).ConfigureAwait(false);
            BlockingQuery.SetHeaders(ctx, agent, reply.Index);
            await ApiJson.WriteAsync(ctx, reply).ConfigureAwait(false);
        });

        // Newest first, as Nomad's CLI shows them.
        app.MapGet("/v1/job/{id}/allocations", ctx =>
        {
            var id = Id(ctx);
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Allocs, snap =>
                snap.AllocsForJob(id).OrderByDescending(a => a.CreateIndex).ThenBy(a => a.ID, StringComparer.Ordinal)
                    .Select(AllocListStub.From).ToList());
        });

        app.MapGet("/v1/job/{id}/evaluations", ctx =>
        {
            var id = Id(ctx);
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Evals, snap =>
                snap.EvalsForJob(id).OrderByDescending(e => e.CreateIndex).ThenBy(e => e.ID, StringComparer.Ordinal).ToList());
        });

        app.MapGet("/v1/job/{id}/summary", ctx =>
        {
            var id = Id(ctx);
            return BlockingQuery.RespondAsync(ctx, agent, [Tables.Jobs, Tables.Allocs, Tables.Evals], "job not found",
                snap => snap.JobById(id) is { } job ? Summary(snap, job) : null);
        });

        // Deployments are not modelled; Nomad's CLI asks for the latest one in `job status` and accepts none.
        // Both report the (never written) deployment table's index, as Nomad does.
        app.MapGet("/v1/job/{id}/deployment", ctx =>
            BlockingQuery.RespondAsync(ctx, agent, [Tables.Deployments], notFound: null, _ => null));
        app.MapGet("/v1/job/{id}/deployments", ctx =>
            BlockingQuery.RespondAsync(ctx, agent, Tables.Deployments, _ => Array.Empty<object>()));

        // Nomad's job plan: the scheduler's dry run of registering the body's job, and its diff against the registered one.
        app.MapMethods("/v1/job/{id}/plan", ["PUT", "POST"], async ctx =>
        {
            var body = await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false);
            var job = ReadJob(body, agent, Id(ctx));
            var request = new JobPlanRequest(job, RequestBody.Bool(body, "Diff"), RequestBody.Bool(body, "PolicyOverride"));
            var reply = await endpoint.Value.PlanAsync(request, LocalTaskConfigCheck.For(agent.Drivers, log), ctx.RequestAborted).ConfigureAwait(false);
            BlockingQuery.SetHeaders(ctx, agent, reply.Index);
            await ApiJson.WriteAsync(ctx, reply).ConfigureAwait(false);
        });

        app.MapMethods("/v1/job/{id}/periodic/force", ["PUT", "POST"], ctx => PeriodicForceAsync(ctx, agent));

        app.MapMethods("/v1/job/{id}/dispatch", ["PUT", "POST"], ctx => JobDispatchRoute.HandleAsync(ctx, agent, dispatch.Value, Id(ctx)));

        app.MapMethods("/v1/job/{id}/evaluate", ["PUT", "POST"], async ctx =>
        {
            // The body (EvalOptions.ForceReschedule) is optional; forced rescheduling is not supported yet.
            await RequestBody.ReadObjectAsync(ctx, required: false).ConfigureAwait(false);
            var reply = await endpoint.Value.EvaluateAsync(Id(ctx), ctx.RequestAborted).ConfigureAwait(false);
            BlockingQuery.SetHeaders(ctx, agent, reply.Index);
            await ApiJson.WriteAsync(ctx, reply).ConfigureAwait(false);
        });
    }

    /// <summary>Nomad's /v1/job/:id/periodic/force: the leader launches the periodic job's child now.</summary>
    private static async Task PeriodicForceAsync(HttpContext ctx, IAgentInfo agent)
    {
        var reply = await Server(agent).Periodic.ForceAsync(Id(ctx), ctx.RequestAborted).ConfigureAwait(false);
        BlockingQuery.SetHeaders(ctx, agent, reply.Index);
        await ApiJson.WriteAsync(ctx, reply).ConfigureAwait(false);
    }

    /// <summary>PUT /v1/jobs and POST /v1/job/:id: Nomad's api.JobRegisterRequest.</summary>
    private static async Task RegisterAsync(HttpContext ctx, IAgentInfo agent, JobEndpoint endpoint, string? pathId, Logger log)
    {
        var body = await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false);
        var job = ReadJob(body, agent, pathId);
        var request = new JobRegisterRequest(job, RequestBody.Bool(body, "EnforceIndex"), RequestBody.UInt64(body, "JobModifyIndex"));
        var reply = await endpoint.RegisterAsync(request, LocalTaskConfigCheck.For(agent.Drivers, log), ctx.RequestAborted).ConfigureAwait(false);
        BlockingQuery.SetHeaders(ctx, agent, reply.Index);
        await ApiJson.WriteAsync(ctx, reply).ConfigureAwait(false);
    }

    /// <summary>The body's "Job" (API JSON), checked against the path's job ID when there is one.</summary>
    private static Job ReadJob(JsonObject? body, IAgentInfo agent, string? pathId)
    {
        if (RequestBody.Get(body, "Job") is not JsonObject raw) throw new BadRequestException("Job must be specified");
        Job job;
        try
        {
            // Every stanza is read (the API model holds them all); one this agent cannot run yet is refused, not dropped.
            JobspecParser.RefuseUnsupported(Canonicalizer.Canonicalize(Nomad.Agent.Jobspec.ApiJson.Read(raw, "Job")), source: null);
            job = JobJson.Read(raw, "Job");
        }
        catch (JobspecException e) { throw new BadRequestException(string.Join("; ", e.Problems)); }
        if (job.ID.Length == 0) throw new BadRequestException("Job ID hasn't been provided");
        if (pathId is not null && job.ID != pathId) throw new BadRequestException("Job ID does not match name");
        // A job that names no region runs in this agent's (the parser's default is Nomad's "global").
        if (string.IsNullOrEmpty(RequestBody.Get(raw, "Region")?.ToString())) job = job with { Region = agent.Config.Region! };
        return job;
    }

    /// <summary>A dispatched job as the API shows it: its payload as it was dispatched, not as the state compresses it.</summary>
    private static Job? WithPayloadDecompressed(Job? job) =>
        job?.Payload is { } stored ? job with { Payload = DispatchPayloadCompression.Decompress(stored) } : job;

    private static JobSummary Summary(StateSnapshot snap, Job job) =>
        JobSummary.From(job, snap.AllocsForJob(job.ID), snap.EvalsForJob(job.ID), snap.ChildJobs(job.ID));

    private static string Id(HttpContext ctx) => (string)ctx.Request.RouteValues["id"]!;

    private static NomadServer Server(IAgentInfo agent) =>
        agent.Server ?? throw new BadRequestException("this agent is not a server and has no server to forward this request to");
}
