using System.Diagnostics;
using Nomad.Agent.Scheduler;
using Nomad.Agent.Structs;

namespace Nomad.Bench;

/// <summary>Wraps a planner and adds up the time spent in its calls (plan checks and writes, and waiting for them).</summary>
public sealed class TimingPlanner(IPlanner inner) : IPlanner
{
    private long _ticks;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public Task<PlanResult> SubmitPlanAsync(Plan plan, CancellationToken ct) => Time(() => inner.SubmitPlanAsync(plan, ct));
    public Task UpdateEvalAsync(Evaluation eval, IReadOnlyList<Evaluation> created, CancellationToken ct)
        => Time(async () => { await inner.UpdateEvalAsync(eval, created, ct); return 0; });

    private async Task<T> Time<T>(Func<Task<T>> call)
    {
        var start = Stopwatch.GetTimestamp();
        try { return await call(); }
        finally { Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(start).Ticks); }
    }
}
