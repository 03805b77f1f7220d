using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Dispatch;

/// <summary>
/// Nomad's Job.Dispatch: derives a child job from a parameterized job — its own ID, the parent's meta merged with the
/// request's, the payload compressed (<see cref="DispatchPayloadCompression"/>) — and registers it with its evaluation
/// in one Raft command, so a dispatch is either wholly there or not at all.
/// </summary>
public sealed class DispatchEndpoint(IConsensus consensus, StateStore state, Logger log)
{
    // A token's check and the write it guards must not interleave with another dispatch carrying the same token.
    private readonly SemaphoreSlim _tokens = new(1, 1);

    public async Task<JobDispatchResponse> DispatchAsync(JobDispatchRequest request, CancellationToken ct = default)
    {
        if (request.IdempotencyToken.Length == 0) return await DispatchOnceAsync(request, ct).ConfigureAwait(false);
        await _tokens.WaitAsync(ct).ConfigureAwait(false);
        try { return await DispatchOnceAsync(request, ct).ConfigureAwait(false); }
        finally { _tokens.Release(); }
    }

    private async Task<JobDispatchResponse> DispatchOnceAsync(JobDispatchRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.JobID)) throw new BadRequestException("missing parameterized job ID");
        var parent = state.Current.JobById(request.JobID) ?? throw new NotFoundException("parameterized job not found");
        if (!parent.IsParameterized)
            throw new BadRequestException($"Specified job \"{request.JobID}\" is not a parameterized job");
        if (parent.Stop) throw new BadRequestException($"Specified job \"{request.JobID}\" is stopped");
        if (DispatchValidation.Problem(parent.ParameterizedJob!, request.Payload, request.Meta) is { } problem)
            throw new BadRequestException(problem);

        // As Nomad: a retried request with the token of a child that still exists gets that child, and no evaluation.
        if (request.IdempotencyToken.Length > 0
            && state.Current.ChildJobs(parent.ID).FirstOrDefault(c => c.DispatchIdempotencyToken == request.IdempotencyToken) is { } earlier)
            return new JobDispatchResponse
            {
                DispatchedJobID = earlier.ID, JobCreateIndex = earlier.CreateIndex, Index = earlier.ModifyIndex,
                KnownLeader = consensus.LeaderAddress is not null,
            };

        var now = DateTimeOffset.UtcNow;
        var child = Child(parent, request, now);
        // A parameterized job that is also periodic gets its evaluations from its periodic launches, as in Nomad.
        var eval = child.Periodic is null ? Evaluation.ForJob(child, EvalTrigger.JobRegister, UnixNanos.From(now.UtcDateTime)) : null;
        var index = await consensus.ApplyAsync(new JobRegisterCommand(child, eval, UnixNanos.From(now.UtcDateTime)), ct).ConfigureAwait(false);
        log.Debug($"job dispatched: parent_id={parent.ID} job_id={child.ID} eval_id={eval?.ID} index={index}");
        return new JobDispatchResponse
        {
            DispatchedJobID = child.ID,
            EvalID = eval?.ID ?? "",
            EvalCreateIndex = eval is null ? 0 : index,
            JobCreateIndex = index,
            Index = index,
            KnownLeader = consensus.LeaderAddress is not null,
        };
    }

    /// <summary>The dispatched job: the parent's specification under a new ID, with the request's meta and payload.</summary>
    public static Job Child(Job parent, JobDispatchRequest request, DateTimeOffset now)
    {
        var id = DispatchedJobId.For(parent.ID, request.IdPrefixTemplate, now);
        Dictionary<string, string>? meta = parent.Meta is null ? null : new(parent.Meta);
        foreach (var (k, v) in request.Meta ?? [])
            (meta ??= new())[k] = v;
        return parent with
        {
            ID = id,
            Name = id,
            ParentID = parent.ID,
            Dispatched = true,
            DispatchIdempotencyToken = request.IdempotencyToken,
            Meta = meta,
            Payload = DispatchPayloadCompression.Compress(request.Payload ?? []),
            Status = "",
            StatusDescription = "",
            Version = 0,
            Stable = false,
            CreateIndex = 0,
            ModifyIndex = 0,
            JobModifyIndex = 0,
        };
    }
}
