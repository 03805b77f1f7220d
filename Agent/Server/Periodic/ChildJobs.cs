using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Periodic;

/// <summary>The jobs a periodic job launches: how one is derived, and whether earlier ones still run.</summary>
public static class ChildJobs
{
    /// <summary>Nomad's deriveJob: a copy of the parent without its schedule, named after its launch time.</summary>
    public static Job Derive(Job parent, DateTimeOffset launch)
    {
        var id = PeriodicLaunch.ChildId(parent.ID, launch);
        return parent with
        {
            ID = id, Name = id, ParentID = parent.ID, Periodic = null,
            Status = "", StatusDescription = "", Version = 0, Stable = false, CreateIndex = 0, ModifyIndex = 0, JobModifyIndex = 0,
        };
    }

    /// <summary>
    /// Nomad's RunningChildren (for prohibit_overlap): a child still has an evaluation to run or an allocation
    /// that is not terminal.
    /// </summary>
    public static bool AnyRunning(StateSnapshot snap, string parentId) =>
        snap.PeriodicChildren(parentId).Any(child =>
            snap.EvalsForJob(child.ID).Any(e => e.Status is not (EvalStatus.Complete or EvalStatus.Failed or EvalStatus.Canceled))
            || snap.AllocsForJob(child.ID).Any(a => !a.IsTerminal));
}
