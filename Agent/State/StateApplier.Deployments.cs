using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>Deployments.</summary>
public static partial class StateApplier
{
    /// <summary>Stores a new or changed deployment (indexes set here).</summary>
    private static StateSnapshot WithDeployment(StateSnapshot s, ulong index, Deployment d)
    {
        var existing = s.DeploymentById(d.ID);
        d = d with { CreateIndex = existing?.CreateIndex ?? index, ModifyIndex = index };
        return s with
        {
            Deployments = s.Deployments.SetItem(d.ID, d),
            DeploymentsByJob = existing is null ? AddTo(s.DeploymentsByJob, d.JobID, d.ID) : s.DeploymentsByJob,
            TableIndexes = s.TableIndexes.SetItem(Tables.Deployments, index),
        };
    }
}
