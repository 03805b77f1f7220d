using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Server;
using System.Text.Json.Nodes;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>The job, evaluation, allocation, drain and system endpoints, in Nomad's API shapes.</summary>
public sealed partial class NomadApiClient
{
    private static List<KeyValuePair<string, string>> Prefix(string? prefix) =>
        string.IsNullOrEmpty(prefix) ? [] : [new("prefix", prefix)];

    /// <summary>An ID as one path segment, escaped as Nomad's Go client escapes it (url.PathEscape): `a/b` is `a%2Fb`.</summary>
    private static string Id(string id) => Nomad.Agent.Http.UrlPath.Escape(id);

    // ---- jobs

    /// <summary>GET /v1/jobs[?prefix=].</summary>
    public Task<ApiResponse<List<JobListStub>>> ListJobsAsync(string? prefix = null, CancellationToken ct = default) =>
        GetAsync<List<JobListStub>>("/v1/jobs", Prefix(prefix), ct);

    /// <summary>GET /v1/job/:id.</summary>
    public Task<ApiResponse<Job>> GetJobAsync(string jobId, CancellationToken ct = default) =>
        GetAsync<Job>("/v1/job/" + Id(jobId), [], ct);

    /// <summary>GET /v1/job/:id/summary.</summary>
    public Task<ApiResponse<JobSummary>> GetJobSummaryAsync(string jobId, CancellationToken ct = default) =>
        GetAsync<JobSummary>($"/v1/job/{Id(jobId)}/summary", [], ct);

    /// <summary>GET /v1/job/:id/allocations[?all=true].</summary>
    public Task<ApiResponse<List<AllocListStub>>> GetJobAllocationsAsync(string jobId, bool all = false, CancellationToken ct = default) =>
        GetAsync<List<AllocListStub>>($"/v1/job/{Id(jobId)}/allocations", all ? [new("all", "true")] : [], ct);

    /// <summary>GET /v1/job/:id/evaluations.</summary>
    public Task<ApiResponse<List<Evaluation>>> GetJobEvaluationsAsync(string jobId, CancellationToken ct = default) =>
        GetAsync<List<Evaluation>>($"/v1/job/{Id(jobId)}/evaluations", [], ct);

    /// <summary>The body PUT /v1/jobs takes: {"Job": ..., "EnforceIndex", "JobModifyIndex"} (Nomad's api.RegisterJobRequest).</summary>
    public static JsonObject RegisterRequest(Job job, ulong? enforceIndex = null)
    {
        var body = new JsonObject { ["Job"] = JsonNode.Parse(JobJson.Write(job)) };
        if (enforceIndex is { } index)
        {
            body["EnforceIndex"] = true;
            body["JobModifyIndex"] = index;
        }
        return body;
    }

    /// <summary>PUT /v1/jobs: registers (or updates) the job; with <paramref name="enforceIndex"/>, only if its modify index is still that.</summary>
    public Task<ApiResponse<JobRegisterResponse>> RegisterJobAsync(Job job, ulong? enforceIndex = null, CancellationToken ct = default) =>
        WriteAsync<JobRegisterResponse>(HttpMethod.Put, "/v1/jobs", [], RegisterRequest(job, enforceIndex).ToJsonString(), ct);

    /// <summary>DELETE /v1/job/:id[?purge=true].</summary>
    public Task<ApiResponse<JobDeregisterResponse>> DeregisterJobAsync(string jobId, bool purge, CancellationToken ct = default) =>
        WriteAsync<JobDeregisterResponse>(HttpMethod.Delete, "/v1/job/" + Id(jobId), purge ? [new("purge", "true")] : [], null, ct);

    /// <summary>PUT /v1/job/:id/periodic/force: the periodic job's child launched now.</summary>
    public Task<ApiResponse<Nomad.Agent.Server.Periodic.PeriodicForceResponse>> ForcePeriodicJobAsync(string jobId, CancellationToken ct = default) =>
        WriteAsync<Nomad.Agent.Server.Periodic.PeriodicForceResponse>(HttpMethod.Put, $"/v1/job/{Id(jobId)}/periodic/force", [], null, ct);

    /// <summary>PUT /v1/job/:id/plan with {"Job", "Diff"}.</summary>
    public Task<ApiResponse<JobPlanResponse>> PlanJobAsync(Job job, bool diff, CancellationToken ct = default)
    {
        var body = new JsonObject { ["Job"] = JsonNode.Parse(JobJson.Write(job)), ["Diff"] = diff };
        return WriteAsync<JobPlanResponse>(HttpMethod.Put, $"/v1/job/{Id(job.ID)}/plan", [], body.ToJsonString(), ct);
    }

    // ---- evaluations

    /// <summary>GET /v1/evaluations[?prefix=].</summary>
    public Task<ApiResponse<List<Evaluation>>> ListEvaluationsAsync(string? prefix = null, CancellationToken ct = default) =>
        GetAsync<List<Evaluation>>("/v1/evaluations", Prefix(prefix), ct);

    /// <summary>GET /v1/evaluation/:id, blocking until its index passes <paramref name="index"/> (0: answer at once).</summary>
    public Task<ApiResponse<Evaluation>> GetEvaluationAsync(string evalId, ulong index = 0, TimeSpan wait = default, CancellationToken ct = default) =>
        GetBlockingAsync<Evaluation>("/v1/evaluation/" + Id(evalId), index, wait, ct);

    /// <summary>GET /v1/evaluation/:id/allocations.</summary>
    public Task<ApiResponse<List<AllocListStub>>> GetEvaluationAllocationsAsync(string evalId, CancellationToken ct = default) =>
        GetAsync<List<AllocListStub>>($"/v1/evaluation/{Id(evalId)}/allocations", [], ct);

    // ---- allocations

    /// <summary>GET /v1/allocations[?prefix=].</summary>
    public Task<ApiResponse<List<AllocListStub>>> ListAllocationsAsync(string? prefix = null, CancellationToken ct = default) =>
        GetAsync<List<AllocListStub>>("/v1/allocations", Prefix(prefix), ct);

    /// <summary>GET /v1/allocation/:id.</summary>
    public Task<ApiResponse<Allocation>> GetAllocationAsync(string allocId, CancellationToken ct = default) =>
        GetAsync<Allocation>("/v1/allocation/" + Id(allocId), [], ct);

    /// <summary>GET /v1/client/allocation/:id/stats: the client's live usage of the allocation's tasks.</summary>
    public Task<ApiResponse<AllocResourceUsage>> GetAllocationStatsAsync(string allocId, CancellationToken ct = default) =>
        GetAsync<AllocResourceUsage>($"/v1/client/allocation/{Id(allocId)}/stats", [], ct);

    /// <summary>
    /// GET /v1/client/fs/logs/:alloc with plain=true: the task's raw stdout or stderr from <paramref name="origin"/>
    /// ("start" or "end") plus <paramref name="offset"/> bytes, following new output when <paramref name="follow"/>.
    /// </summary>
    public Task<HttpResponseMessage> OpenLogsAsync(string allocId, string task, string type, string origin, long offset, bool follow, CancellationToken ct = default) =>
        OpenStreamAsync("/v1/client/fs/logs/" + Id(allocId),
        [
            new("task", task), new("type", type), new("origin", origin), new("offset", offset.ToString()),
            new("follow", follow ? "true" : "false"), new("plain", "true"),
        ], ct);

    /// <summary>GET /v1/client/fs/stat/:alloc: one file or directory of the allocation.</summary>
    public Task<ApiResponse<AllocFileInfo>> StatAllocFileAsync(string allocId, string path, CancellationToken ct = default) =>
        GetAsync<AllocFileInfo>("/v1/client/fs/stat/" + Id(allocId), [new("path", path)], ct);

    /// <summary>GET /v1/client/fs/ls/:alloc: a directory of the allocation.</summary>
    public Task<ApiResponse<List<AllocFileInfo>>> ListAllocFilesAsync(string allocId, string path, CancellationToken ct = default) =>
        GetAsync<List<AllocFileInfo>>("/v1/client/fs/ls/" + Id(allocId), [new("path", path)], ct);

    /// <summary>GET /v1/client/fs/readat/:alloc: a file's bytes from <paramref name="offset"/> to its end.</summary>
    public Task<HttpResponseMessage> OpenAllocFileAsync(string allocId, string path, long offset, CancellationToken ct = default) =>
        OpenStreamAsync("/v1/client/fs/readat/" + Id(allocId), [new("path", path), new("offset", offset.ToString())], ct);

    /// <summary>GET /v1/client/fs/stream/:alloc: a file as Nomad's JSON frames from <paramref name="origin"/> ± offset, followed.</summary>
    public Task<HttpResponseMessage> StreamAllocFileAsync(string allocId, string path, string origin, long offset, CancellationToken ct = default) =>
        OpenStreamAsync("/v1/client/fs/stream/" + Id(allocId),
            [new("path", path), new("origin", origin), new("offset", offset.ToString()), new("follow", "true")], ct);

    // ---- nodes

    /// <summary>GET /v1/node/:id, blocking until its index passes <paramref name="index"/> (0: answer at once).</summary>
    public Task<ApiResponse<Node>> GetNodeBlockingAsync(string nodeId, ulong index, TimeSpan wait, CancellationToken ct = default) =>
        GetBlockingAsync<Node>("/v1/node/" + Id(nodeId), index, wait, ct);

    /// <summary>GET /v1/node/:id/allocations, blocking until its index passes <paramref name="index"/> (0: answer at once).</summary>
    public Task<ApiResponse<List<Allocation>>> GetNodeAllocationsAsync(string nodeId, ulong index = 0, TimeSpan wait = default, CancellationToken ct = default) =>
        GetBlockingAsync<List<Allocation>>($"/v1/node/{Id(nodeId)}/allocations", index, wait, ct);

    /// <summary>
    /// PUT /v1/node/:id/drain (Nomad's api.NodeUpdateDrainRequest): <paramref name="deadline"/> null removes the drain;
    /// a negative deadline forces it, zero means no deadline.
    /// </summary>
    public Task<ApiResponse<NodeDrainUpdateResponse>> UpdateDrainAsync(string nodeId, TimeSpan? deadline, bool ignoreSystemJobs, bool markEligible, CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["NodeID"] = nodeId,
            ["DrainSpec"] = deadline is { } d
                ? new JsonObject { ["Deadline"] = d.Ticks * 100, ["IgnoreSystemJobs"] = ignoreSystemJobs }
                : null,
            ["MarkEligible"] = markEligible,
        };
        return WriteAsync<NodeDrainUpdateResponse>(HttpMethod.Put, $"/v1/node/{Id(nodeId)}/drain", [], body.ToJsonString(), ct);
    }

    /// <summary>PUT /v1/node/:id/eligibility with {"NodeID", "Eligibility": "eligible"|"ineligible"}.</summary>
    public async Task UpdateEligibilityAsync(string nodeId, bool eligible, CancellationToken ct = default)
    {
        var body = new JsonObject { ["NodeID"] = nodeId, ["Eligibility"] = eligible ? "eligible" : "ineligible" };
        await SendWithIndexAsync(HttpMethod.Put, $"/v1/node/{Id(nodeId)}/eligibility", [], body.ToJsonString(), ct);
    }

    // ---- system

    /// <summary>PUT /v1/system/gc.</summary>
    public async Task SystemGcAsync(CancellationToken ct = default) =>
        await SendWithIndexAsync(HttpMethod.Put, "/v1/system/gc", [], null, ct);
}
