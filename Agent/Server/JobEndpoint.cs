using Nomad.Agent.Consensus;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.Server.Dispatch;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The servers' side of job registration (Nomad's Job.Register / Job.Deregister / Job.Evaluate): checks a job
/// completely before anything is written, then writes the job and its evaluation in one command, so the
/// eval broker finds a pending evaluation for every change.
/// </summary>
public sealed class JobEndpoint(IConsensus consensus, StateStore state, string region, Logger log)
{
    /// <summary>The prefix of every check-index failure, as Nomad's RegisterEnforceIndexErrPrefix.</summary>
    public const string EnforceIndexErrPrefix = "Enforcing job modify index";

    // Check-index and the write it guards must not interleave with another registration of the same job.
    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>
    /// Canonicalizes, validates and registers <paramref name="request"/>'s job. <paramref name="checkTasks"/>
    /// adds checks only this agent can make (its drivers' task config rules); it returns one-line errors.
    /// </summary>
    public async Task<JobRegisterResponse> RegisterAsync(JobRegisterRequest request,
        Func<Job, CancellationToken, Task<IReadOnlyList<string>>>? checkTasks = null, CancellationToken ct = default)
    {
        var job = await CheckedAsync(request.Job, checkTasks, ct).ConfigureAwait(false);

        await _writes.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var existing = state.Current.JobById(job.ID);
            if (request.EnforceIndex) CheckIndex(existing, request.JobModifyIndex);
            if (ParameterizedJobs.UpdateProblem(existing, job) is { } problem) throw new BadRequestException(problem);
            // Only a dispatch gives a job its payload (compressed) and token; a registration keeps what is stored, whatever it sends.
            job = job with { Payload = existing?.Payload, DispatchIdempotencyToken = existing?.DispatchIdempotencyToken ?? "" };

            var now = UnixNanos.Now();
            // As Nomad: a periodic or parameterized job is never scheduled itself; its children (periodic launches,
            // dispatches) are.
            var eval = IsTemplate(job) ? null : Evaluation.ForJob(job, EvalTrigger.JobRegister, now);
            var index = await consensus.ApplyAsync(new JobRegisterCommand(job, eval, now), ct).ConfigureAwait(false);
            var stored = state.Current.JobById(job.ID);
            log.Debug($"job registered: job_id={job.ID} version={stored?.Version} eval_id={eval?.ID} index={index}");
            return new JobRegisterResponse
            {
                EvalID = eval?.ID ?? "",
                EvalCreateIndex = eval is null ? 0 : index,
                JobModifyIndex = stored?.JobModifyIndex ?? index,
                Index = index,
                KnownLeader = consensus.LeaderAddress is not null,
            };
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Nomad's Job.Plan: what registering <paramref name="request"/>'s job would do. The job is checked as
    /// <see cref="RegisterAsync"/> checks it, then registered on a copy of the current state and handed to the real
    /// scheduler with an in-memory planner; nothing is written to Raft.
    /// </summary>
    public async Task<JobPlanResponse> PlanAsync(JobPlanRequest request,
        Func<Job, CancellationToken, Task<IReadOnlyList<string>>>? checkTasks = null, CancellationToken ct = default)
    {
        var job = await CheckedAsync(request.Job, checkTasks, ct).ConfigureAwait(false);
        var before = state.Current;
        var existing = before.JobById(job.ID);
        var now = UnixNanos.Now();
        var eval = Evaluation.ForJob(job, EvalTrigger.JobRegister, now);
        var scratch = StateApplier.Apply(before with { Trial = true }, before.Index + 1, new JobRegisterCommand(job, eval, now));
        var planner = new SnapshotPlanner(scratch);
        var scheduler = Schedulers.Create(job.Type, scratch, planner, log.Named("plan"));
        await scheduler.ProcessAsync(scratch.EvalById(eval.ID)!, ct).ConfigureAwait(false);

        var updated = planner.EvalUpdates.LastOrDefault(e => e.ID == eval.ID);
        var desired = PlanAnnotator.DesiredUpdates(job, before, planner.Plans, updated?.FailedTGAllocs);
        JobDiff? diff = null;
        if (request.Diff)
        {
            diff = JobDiffer.Diff(existing, scratch.JobById(job.ID));
            PlanAnnotator.Annotate(diff, desired);
        }
        log.Debug($"job planned: job_id={job.ID} plans={planner.Plans.Count} created_evals={planner.CreatedEvals.Count}");
        return new JobPlanResponse
        {
            JobModifyIndex = existing?.JobModifyIndex ?? 0,
            CreatedEvals = planner.CreatedEvals.ToList(),
            Diff = diff,
            Annotations = new PlanAnnotations { DesiredTGUpdates = desired },
            FailedTGAllocs = updated?.FailedTGAllocs is { Count: > 0 } failed ? failed : null,
            Index = before.Index,
        };
    }

    /// <summary>The job canonicalized, or a 400 listing every problem in one line.</summary>
    private async Task<Job> CheckedAsync(Job? submitted, Func<Job, CancellationToken, Task<IReadOnlyList<string>>>? checkTasks, CancellationToken ct)
    {
        var job = JobDefaults.Canonicalize(submitted ?? throw new BadRequestException("Job must be specified"));
        if (job.ID.Length == 0) throw new BadRequestException("Job ID hasn't been provided");
        var errors = new List<string>(JobValidator.Validate(job));
        if (job.Region != region)
            errors.Add($"job \"{job.ID}\": region: No path to region \"{job.Region}\" (this cluster's region is \"{region}\")");
        if (errors.Count == 0 && checkTasks is not null) errors.AddRange(await checkTasks(job, ct).ConfigureAwait(false));
        if (errors.Count > 0) throw new BadRequestException(string.Join("; ", errors));
        // Servers own these; whatever the caller sent is replaced by the applier or reset here.
        return job with { Status = "", StatusDescription = "", Version = 0, CreateIndex = 0, ModifyIndex = 0, JobModifyIndex = 0 };
    }

    /// <summary>Stops a job (its allocations stop once the evaluation runs) or, with <paramref name="purge"/>, removes it.</summary>
    public async Task<JobDeregisterResponse> DeregisterAsync(string jobId, bool purge, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(jobId)) throw new BadRequestException("missing job ID for deregistering");
        await _writes.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // As Nomad: deregistering a job that does not exist still creates an evaluation (it stops any leftovers).
            var job = state.Current.JobById(jobId) ?? new Job { ID = jobId, Name = jobId };
            var now = UnixNanos.Now();
            // A periodic or parameterized job has no allocations of its own to stop (its children stay): no evaluation, as Nomad.
            var eval = IsTemplate(job) ? null : Evaluation.ForJob(job, EvalTrigger.JobDeregister, now);
            var index = await consensus.ApplyAsync(new JobDeregisterCommand(jobId, purge, eval, now), ct).ConfigureAwait(false);
            log.Debug($"job deregistered: job_id={jobId} purge={purge} eval_id={eval?.ID} index={index}");
            return new JobDeregisterResponse
            {
                EvalID = eval?.ID ?? "",
                EvalCreateIndex = eval is null ? 0 : index,
                JobModifyIndex = index,
                Index = index,
                KnownLeader = consensus.LeaderAddress is not null,
            };
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>A periodic or parameterized job: a template for the children the servers derive from it, never placed itself.</summary>
    private static bool IsTemplate(Job job) => job.Periodic is not null || job.IsParameterized;

    /// <summary>Asks the scheduler to look at a job again (<c>nomad job eval</c>).</summary>
    public async Task<JobRegisterResponse> EvaluateAsync(string jobId, CancellationToken ct = default)
    {
        var job = state.Current.JobById(jobId) ?? throw new NotFoundException("job not found");
        if (job.Periodic is not null) throw new BadRequestException("can't evaluate periodic job");
        if (job.IsParameterized) throw new BadRequestException("can't evaluate parameterized job");
        var eval = Evaluation.ForJob(job, EvalTrigger.JobRegister, UnixNanos.Now());
        var index = await consensus.ApplyAsync(new EvalUpsertCommand([eval]), ct).ConfigureAwait(false);
        return new JobRegisterResponse
        {
            EvalID = eval.ID,
            EvalCreateIndex = index,
            JobModifyIndex = job.JobModifyIndex,
            Index = index,
            KnownLeader = consensus.LeaderAddress is not null,
        };
    }

    private static void CheckIndex(Job? existing, ulong jobModifyIndex)
    {
        if (existing is not null)
        {
            if (jobModifyIndex == 0) throw new BadRequestException($"{EnforceIndexErrPrefix} 0: job already exists");
            if (jobModifyIndex != existing.JobModifyIndex)
                throw new BadRequestException($"{EnforceIndexErrPrefix} {jobModifyIndex}: job exists with conflicting job modify index: {existing.JobModifyIndex}");
        }
        else if (jobModifyIndex != 0)
        {
            throw new BadRequestException($"{EnforceIndexErrPrefix} {jobModifyIndex}: job does not exist");
        }
    }
}

/// <summary>The body of <c>PUT /v1/jobs</c> (Nomad's api.JobRegisterRequest, the fields we honour).</summary>
public sealed record JobRegisterRequest(Job? Job, bool EnforceIndex = false, ulong JobModifyIndex = 0);

/// <summary>Nomad's JobRegisterResponse (also what <c>/v1/job/:id/evaluate</c> returns).</summary>
public sealed record JobRegisterResponse
{
    public string EvalID { get; init; } = "";
    public ulong EvalCreateIndex { get; init; }
    public ulong JobModifyIndex { get; init; }
    public string Warnings { get; init; } = "";
    public ulong Index { get; init; }
    public long LastContact { get; init; }
    public bool KnownLeader { get; init; }
}

/// <summary>Nomad's JobDeregisterResponse.</summary>
public sealed record JobDeregisterResponse
{
    public string EvalID { get; init; } = "";
    public ulong EvalCreateIndex { get; init; }
    public ulong JobModifyIndex { get; init; }
    public ulong Index { get; init; }
    public long LastContact { get; init; }
    public bool KnownLeader { get; init; }
}
