using System.Globalization;
using System.Text;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>`nomad alloc status &lt;id&gt;`: the allocation's block, then per task its resources, state times and recent events.</summary>
public static class AllocStatusFormatter
{
    /// <param name="stats">the client's live usage, or null when the client could not be asked: allocated values are shown alone.</param>
    /// <returns>the text, ending with a newline.</returns>
    public static string Format(Allocation alloc, AllocResourceUsage? stats, bool verbose, DateTime now, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');

        var basic = new List<(string, string)>
        {
            ("ID", alloc.ID),
            ("Eval ID", Ids.Display(alloc.EvalID, verbose)),
            ("Name", alloc.Name),
            ("Node ID", Ids.Display(alloc.NodeID, verbose)),
            ("Node Name", alloc.NodeName),
            ("Job ID", alloc.JobID),
            ("Job Version", (alloc.Job?.Version ?? 0).ToString(CultureInfo.InvariantCulture)),
            ("Client Status", alloc.ClientStatus),
            ("Client Description", alloc.ClientDescription),
            ("Desired Status", alloc.DesiredStatus),
            ("Desired Description", alloc.DesiredDescription),
            ("Created", verbose ? Timestamps.FromUnixNanos(alloc.CreateTime, zone) : RelativeTime.Ago(alloc.CreateTime, now)),
            ("Modified", verbose ? Timestamps.FromUnixNanos(alloc.ModifyTime, zone) : RelativeTime.Ago(alloc.ModifyTime, now)),
        };
        if (alloc.NextAllocation.Length > 0) basic.Add(("Replacement Alloc ID", Ids.Display(alloc.NextAllocation, verbose)));
        if (verbose)
        {
            var m = alloc.Metrics ?? new AllocMetric();
            basic.Add(("Evaluated Nodes", m.NodesEvaluated.ToString()));
            basic.Add(("Filtered Nodes", m.NodesFiltered.ToString()));
            basic.Add(("Exhausted Nodes", m.NodesExhausted.ToString()));
            basic.Add(("Allocation Time", Nomad.Agent.Structs.GoDuration.FormatNanoseconds(m.AllocationTime)));
            basic.Add(("Failures", m.CoalescedFailures.ToString()));
        }
        Line(Columns.KeyValues(basic));

        foreach (var (name, state) in SortedTasks(alloc))
        {
            Line("");
            Line($"Task {GoText.Quote(name)}{LifecycleSuffix(alloc, name)} is {GoText.Quote(state.State)}");
            var resources = TaskResources(alloc, name, stats);
            if (resources is not null)
            {
                Line("Task Resources");
                Line(resources);
            }
            Line("");
            Line(TaskStatus(state, zone));
        }

        if (verbose)
        {
            Line("");
            Line("Placement Metrics");
            var metrics = alloc.Metrics ?? new AllocMetric();
            var reasons = AllocMetricsFormatter.Format(metrics, "  ");
            var scores = AllocMetricsFormatter.Scores(metrics);
            if (reasons.Length > 0 || scores is null) Line(reasons);
            if (scores is not null) Line(scores);
        }
        return text.ToString();
    }

    /// <summary>-short: the allocation's block and a "Tasks" table of name, state, last event and its time.</summary>
    public static string Short(Allocation alloc, bool verbose, DateTime now, TimeZoneInfo zone)
    {
        var head = Format(alloc with { TaskStates = null }, null, verbose: false, now, zone);
        var rows = new List<IReadOnlyList<string>> { new[] { "Name", "State", "Last Event", "Time" } };
        foreach (var (name, state) in SortedTasks(alloc))
        {
            var last = state.Events.LastOrDefault();
            rows.Add([name, state.State, last?.Type ?? "", last is null ? "" : Timestamps.FromUnixNanos(last.Time, zone)]);
        }
        return head + "\nTasks\n" + Columns.Table(rows) + "\n";
    }

    /// <summary>Nomad's sortedTaskStateIterator: lifecycle tasks that are not sidecars, then sidecars, then main tasks; by name within each.</summary>
    private static IEnumerable<(string, TaskState)> SortedTasks(Allocation alloc) =>
        (alloc.TaskStates ?? new()).OrderBy(p => Lifecycle(alloc, p.Key) switch { null => 2, { Sidecar: true } => 1, _ => 0 })
            .ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));

    private static TaskLifecycle? Lifecycle(Allocation alloc, string task) =>
        alloc.Job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup)?.Tasks.FirstOrDefault(t => t.Name == task)?.Lifecycle is { Hook.Length: > 0 } l ? l : null;

    /// <summary>" (prestart)", " (prestart sidecar)"... after a lifecycle task's name, as Nomad's lifecycleDisplayName.</summary>
    private static string LifecycleSuffix(Allocation alloc, string task) =>
        Lifecycle(alloc, task) is { } l ? $" ({l.Hook}{(l.Sidecar ? " sidecar" : "")})" : "";

    /// <summary>CPU, Memory, Disk, Addresses: live usage "used/allocated" when the client answered, else the allocation.</summary>
    public static string? TaskResources(Allocation alloc, string task, AllocResourceUsage? stats)
    {
        if (!alloc.AllocatedResources.Tasks.TryGetValue(task, out var resource)) return null;

        var addresses = new List<string>();
        foreach (var network in (resource.Networks ?? []).Concat(alloc.AllocatedResources.Shared.Networks ?? []))
            foreach (var port in (network.DynamicPorts ?? []).Concat(network.ReservedPorts ?? []))
                addresses.Add($"{port.Label}: {network.IP}:{port.Value}");

        var cpu = resource.Cpu.CpuShares.ToString(CultureInfo.InvariantCulture);
        var memory = ByteSize.FromMegabytes(resource.Memory.MemoryMB);
        if (stats?.Tasks is not null && stats.Tasks.TryGetValue(task, out var usage) && usage?.ResourceUsage is { } ru)
        {
            if (ru.CpuStats is { } cs) cpu = $"{Math.Floor(cs.TotalTicks).ToString(CultureInfo.InvariantCulture)}/{cpu}";
            if (ru.MemoryStats is { } ms) memory = $"{ByteSize.Iec(ms.RSS)}/{memory}";
        }
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "CPU", "Memory", "Disk", "Addresses" },
            new[] { $"{cpu} MHz", memory, ByteSize.FromMegabytes(alloc.AllocatedResources.Shared.DiskMB), addresses.FirstOrDefault() ?? "" },
        };
        rows.AddRange(addresses.Skip(1).Select(a => (IReadOnlyList<string>)["", "", "", a]));
        return Columns.PlainTable(rows);
    }

    /// <summary>"Task Events:" times and restarts, then "Recent Events:" newest first.</summary>
    public static string TaskStatus(TaskState state, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        text.Append("Task Events:\n");
        text.Append(Columns.KeyValues(
        [
            ("Started At", TaskTime(state.StartedAt, zone)),
            ("Finished At", TaskTime(state.FinishedAt, zone)),
            ("Total Restarts", state.Restarts.ToString(CultureInfo.InvariantCulture)),
            ("Last Restart", TaskTime(state.LastRestart, zone)),
        ])).Append("\n\n");

        text.Append("Recent Events:\n");
        var rows = new List<IReadOnlyList<string>> { new[] { "Time", "Type", "Description" } };
        for (var i = state.Events.Count - 1; i >= 0; i--)
        {
            var e = state.Events[i];
            rows.Add([Timestamps.FromUnixNanos(e.Time, zone), e.Type, TaskEventText.Describe(e)]);
        }
        text.Append(Columns.Table(rows));
        return text.ToString();
    }

    /// <summary>Nomad's formatTaskTimes: "N/A" for the zero time.</summary>
    private static string TaskTime(DateTime? time, TimeZoneInfo zone) =>
        time is not { } t || t == default || t.Year <= 1 ? "N/A" : Timestamps.Format(t, zone);
}
