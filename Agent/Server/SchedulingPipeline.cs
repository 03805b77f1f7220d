using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The leader's scheduling machinery, started when this server gains leadership and stopped when it loses it:
/// the eval broker fed from applied commands, blocked evaluations, the plan queue and applier, the reaper of
/// failed and superseded evaluations, and the scheduling workers.
/// </summary>
public sealed class SchedulingPipeline
{
    private readonly ServerOptions _options;
    private readonly IConsensus _consensus;
    private readonly StateStore _state;
    private readonly Logger _log;
    private List<Worker> _workers = new();

    public SchedulingPipeline(ServerOptions options, IConsensus consensus, StateStore state, Logger log)
    {
        _options = options;
        _consensus = consensus;
        _state = state;
        _log = log;
        Broker = new EvalBroker(options.EvalBroker);
        Blocked = new BlockedEvals(consensus, log.Named("blocked_evals"));
        Plans = new PlanQueue();
        Applier = new PlanApplier(Plans, consensus, state, log.Named("plan_apply"));
        Reaper = new EvalReaper(Broker, consensus, log.Named("eval_reaper"));
        state.Applied += OnApplied;
    }

    public EvalBroker Broker { get; }
    public BlockedEvals Blocked { get; }
    public PlanQueue Plans { get; }
    public PlanApplier Applier { get; }
    public EvalReaper Reaper { get; }
    public IReadOnlyList<Worker> Workers => _workers;

    /// <summary>
    /// Enables everything and loads the pending and blocked evaluations from the state. Call after the
    /// leader's barrier; <paramref name="ct"/> ends the loops when leadership is lost.
    /// </summary>
    public void Start(CancellationToken ct)
    {
        Broker.SetEnabled(true);
        Plans.SetEnabled(true);
        Blocked.SetEnabled(true);
        // Enabled before reading the state, so nothing applied in between is missed (duplicates are ignored).
        var snap = _state.Current;
        Blocked.Restore(snap);
        Broker.EnqueueAll(snap.Evals.Values.Where(e => e.Status == EvalStatus.Pending).OrderBy(e => e.CreateIndex));

        _ = Applier.RunAsync(ct);
        _ = Reaper.RunAsync(ct);
        _ = Blocked.RunAsync(ct);
        // Tests may bring their own schedulers; otherwise Nomad's service, batch and system schedulers.
        // Nomad names the workers' (and so the schedulers') logger "worker" at the root, not under "nomad".
        var workerLog = new Logger(_log.Sink, "worker");
        var factory = _options.SchedulerFactory ?? ((eval, state, planner) => Schedulers.Create(eval.Type, state, planner, workerLog));
        var workers = new List<Worker>();
        for (var i = 0; i < _options.NumSchedulers; i++)
        {
            var w = new Worker(i, Broker, Plans, Blocked, _consensus, _state, factory, workerLog);
            workers.Add(w);
            _ = Task.Run(() => w.RunAsync(ct), CancellationToken.None);
        }
        _workers = workers;
    }

    /// <summary>Disables everything (the loops end through the leadership token).</summary>
    public void Stop()
    {
        Broker.SetEnabled(false);
        Plans.SetEnabled(false);
        Blocked.SetEnabled(false);
        _workers = new();
    }

    private void OnApplied(Command command, StateSnapshot after)
    {
        if (!Broker.Enabled) return;
        foreach (var e in CommandEvals.Written(command, after))
            if (e.Status == EvalStatus.Pending) Broker.Enqueue(e);
        Blocked.Observe(command, after);
    }
}
