using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>The scheduler for an evaluation's type, planning on <paramref name="state"/>. One evaluation per instance.</summary>
public static class Schedulers
{
    public static IScheduler Create(string jobType, StateSnapshot state, IPlanner planner, Logger log) => jobType switch
    {
        JobType.Service => new GenericScheduler(state, planner, log.Named("service_sched"), batch: false),
        JobType.Batch => new GenericScheduler(state, planner, log.Named("batch_sched"), batch: true),
        JobType.System => new SystemScheduler(state, planner, log.Named("system_sched")),
        JobType.SysBatch => new SystemScheduler(state, planner, log.Named("sysbatch_sched"), sysbatch: true),
        _ => throw new BadRequestException($"scheduler: unknown scheduler type \"{jobType}\"; expected one of {string.Join(", ", JobType.All)}"),
    };
}
