using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// Leader loop that writes the broker's verdicts through consensus (Nomad's reapFailedEvaluations and
/// reapCancelableEvaluations): evaluations that reached the delivery limit are marked failed, with a
/// delayed follow-up evaluation so the job is tried again later; evaluations superseded by a newer one
/// for the same job are marked canceled.
/// </summary>
public sealed class EvalReaper(EvalBroker broker, IConsensus consensus, Logger log)
{
    /// <summary>Nomad's TriggeredBy for the follow-up of a failed evaluation.</summary>
    public const string FailedFollowUp = "failed-follow-up";

    /// <summary>The follow-up waits this long plus a random part of up to <see cref="FollowUpJitter"/>.</summary>
    public TimeSpan FollowUpBaseline { get; init; } = TimeSpan.FromMinutes(1);
    public TimeSpan FollowUpJitter { get; init; } = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var failed = await broker.DequeueAsync([EvalBroker.FailedQueue], Poll, ct).ConfigureAwait(false);
                if (failed is { } f) await FailAsync(f.Eval, f.Token, ct).ConfigureAwait(false);
                await CancelSupersededAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task FailAsync(Evaluation eval, string token, CancellationToken ct)
    {
        var now = UnixNanos.Now();
        var wait = FollowUpBaseline + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * FollowUpJitter.Ticks));
        var followUp = new Evaluation
        {
            ID = Guid.NewGuid().ToString(), Namespace = eval.Namespace, Priority = eval.Priority, Type = eval.Type,
            TriggeredBy = FailedFollowUp, JobID = eval.JobID, JobModifyIndex = eval.JobModifyIndex,
            Status = EvalStatus.Pending, PreviousEval = eval.ID, WaitUntil = now + (long)wait.TotalMilliseconds * 1_000_000,
            CreateTime = now, ModifyTime = now,
        };
        var update = eval with
        {
            Status = EvalStatus.Failed,
            StatusDescription = $"evaluation reached delivery limit ({broker.Options.DeliveryLimit})",
            NextEval = followUp.ID,
            ModifyTime = now,
        };
        log.Warn($"eval reached delivery limit, marking as failed: eval_id={eval.ID} job_id={eval.JobID}");
        try
        {
            await consensus.ApplyAsync(new EvalUpsertCommand([update, followUp]), ct).ConfigureAwait(false);
            broker.Ack(eval.ID, token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error($"failed to update failed evaluation: eval_id={eval.ID} error=\"{e.Message}\"");
            try { broker.Nack(eval.ID, token); } catch (InvalidOperationException) { }
        }
    }

    private async Task CancelSupersededAsync(CancellationToken ct)
    {
        var cancelable = broker.TakeCancelable();
        if (cancelable.Count == 0) return;
        var now = UnixNanos.Now();
        var updates = cancelable.Select(e => e with
        {
            Status = EvalStatus.Canceled, StatusDescription = "canceled after more recent eval was processed", ModifyTime = now,
        }).ToList();
        try
        {
            await consensus.ApplyAsync(new EvalUpsertCommand(updates), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error($"failed to cancel superseded evaluations: count={updates.Count} error=\"{e.Message}\"");
        }
    }
}
