using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>
/// What the evaluation monitor knows after one look: the evaluation's status and trigger, and its allocations.
/// <see cref="Changes"/> turns two successive looks into the lines Nomad's monitor prints (without their "    " prefix).
/// </summary>
public sealed record EvalMonitorState
{
    public string Status { get; init; } = "";
    public string NodeID { get; init; } = "";
    public string JobID { get; init; } = "";
    public ulong Index { get; init; }
    public IReadOnlyDictionary<string, AllocListStub> Allocs { get; init; } = new Dictionary<string, AllocListStub>();

    public static EvalMonitorState Empty { get; } = new();

    public static EvalMonitorState From(Evaluation eval, IEnumerable<AllocListStub> allocs) => new()
    {
        Status = eval.Status,
        NodeID = eval.NodeID,
        JobID = eval.JobID,
        Index = eval.CreateIndex,
        Allocs = allocs.GroupBy(a => a.ID).ToDictionary(g => g.Key, g => g.First()),
    };

    /// <summary>Nomad's monitor.update: the trigger on first sight, new and changed allocations, and a status change.</summary>
    public static List<string> Changes(EvalMonitorState existing, EvalMonitorState update, bool verbose)
    {
        var lines = new List<string>();
        string Id(string id) => Ids.Display(id, verbose);

        if (existing.NodeID.Length == 0 && update.NodeID.Length > 0)
            lines.Add($"Evaluation triggered by node {GoText.Quote(Id(update.NodeID))}");
        if (existing.JobID.Length == 0 && update.JobID.Length > 0)
            lines.Add($"Evaluation triggered by job {GoText.Quote(update.JobID)}");

        foreach (var alloc in update.Allocs.Values.OrderBy(a => a.CreateIndex).ThenBy(a => a.ID, StringComparer.Ordinal))
        {
            if (!existing.Allocs.TryGetValue(alloc.ID, out var before))
            {
                // An allocation older than the evaluation was changed by it, not created.
                if (alloc.CreateIndex < update.Index)
                    lines.Add($"Allocation {GoText.Quote(Id(alloc.ID))} modified: node {GoText.Quote(Id(alloc.NodeID))}, group {GoText.Quote(alloc.TaskGroup)}");
                else if (alloc.DesiredStatus == AllocDesiredStatus.Run)
                    lines.Add($"Allocation {GoText.Quote(Id(alloc.ID))} created: node {GoText.Quote(Id(alloc.NodeID))}, group {GoText.Quote(alloc.TaskGroup)}");
            }
            else if (before.ClientStatus != alloc.ClientStatus)
            {
                var description = alloc.ClientDescription.Length > 0 ? $" ({alloc.ClientDescription})" : "";
                lines.Add($"Allocation {GoText.Quote(Id(alloc.ID))} status changed: {GoText.Quote(before.ClientStatus)} -> {GoText.Quote(alloc.ClientStatus)}{description}");
            }
        }

        if (existing.Status.Length > 0 && update.Status != EvalStatus.Pending && existing.Status != update.Status)
            lines.Add($"Evaluation status changed: {GoText.Quote(existing.Status)} -> {GoText.Quote(update.Status)}");
        return lines;
    }

    /// <summary>
    /// The lines for a finished evaluation: "==> Evaluation "x" finished with status "complete"", or with failed
    /// placements the per-group reasons and the blocked evaluation that waits for capacity.
    /// </summary>
    public static List<string> Finished(Evaluation eval, bool verbose)
    {
        var id = GoText.Quote(Ids.Display(eval.ID, verbose));
        if (eval.FailedTGAllocs is not { Count: > 0 } failed)
            return [$"==> Evaluation {id} finished with status {GoText.Quote(eval.Status)}"];

        var lines = new List<string> { $"==> Evaluation {id} finished with status {GoText.Quote(eval.Status)} but failed to place all allocations:" };
        foreach (var group in AllocMetricsFormatter.SortedGroups(failed))
        {
            lines.Add("    " + AllocMetricsFormatter.FailedToPlace(group, failed[group]));
            var metrics = AllocMetricsFormatter.Format(failed[group], "  ");
            lines.AddRange(metrics.Split('\n').Select(l => "    " + l));
        }
        if (eval.BlockedEval.Length > 0)
            lines.Add($"    Evaluation {GoText.Quote(Ids.Display(eval.BlockedEval, verbose))} waiting for additional capacity to place remainder");
        return lines;
    }

    public static bool IsTerminal(string status) => status is EvalStatus.Complete or EvalStatus.Failed or EvalStatus.Canceled or "cancelled";
}
