using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>Nomad's formatAllocListStubs: the Allocations table of job status, and the candidates of an ambiguous alloc prefix.</summary>
public static class AllocListFormatter
{
    /// <param name="verbose">full IDs, Eval ID and Node Name columns, and absolute times instead of "10s ago".</param>
    public static string Format(IReadOnlyList<AllocListStub> allocs, bool verbose, DateTime now, TimeZoneInfo zone)
    {
        if (allocs.Count == 0) return "No allocations placed";
        var rows = new List<IReadOnlyList<string>>();
        if (verbose)
        {
            rows.Add(["ID", "Eval ID", "Node ID", "Node Name", "Task Group", "Version", "Desired", "Status", "Created", "Modified"]);
            rows.AddRange(allocs.Select(a => (IReadOnlyList<string>)
            [
                a.ID, a.EvalID, a.NodeID, a.NodeName, a.TaskGroup, a.JobVersion.ToString(), a.DesiredStatus, a.ClientStatus,
                Timestamps.FromUnixNanos(a.CreateTime, zone), Timestamps.FromUnixNanos(a.ModifyTime, zone),
            ]));
        }
        else
        {
            rows.Add(["ID", "Node ID", "Task Group", "Version", "Desired", "Status", "Created", "Modified"]);
            rows.AddRange(allocs.Select(a => (IReadOnlyList<string>)
            [
                Ids.Short(a.ID), Ids.Short(a.NodeID), a.TaskGroup, a.JobVersion.ToString(), a.DesiredStatus, a.ClientStatus,
                RelativeTime.Ago(a.CreateTime, now), RelativeTime.Ago(a.ModifyTime, now),
            ]));
        }
        return Columns.Table(rows);
    }
}
