using Nomad.Agent.Server;
using System.Text;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>
/// `nomad job plan`: the job diff (Nomad's formatJobDiff, without colour), the scheduler dry-run, and the
/// check-index hint. Diff markers: "+" added, "-" deleted, "+/-" edited.
/// </summary>
public static class PlanFormatter
{
    /// <returns>the whole output, ending with a newline.</returns>
    public static string Format(JobPlanResponse plan, string jobType, string path, bool verbose)
    {
        var text = new StringBuilder();
        if (plan.Diff is not null) text.Append(JobDiff(plan.Diff, verbose).Trim()).Append("\n\n");
        text.Append("Scheduler dry-run:\n");
        text.Append(DryRun(plan, jobType)).Append("\n\n");
        if (plan.Warnings.Length > 0) text.Append("Job Warnings:\n").Append(plan.Warnings).Append("\n\n");
        text.Append($"Job Modify Index: {plan.JobModifyIndex}\n");
        text.Append($"""
            To submit the job with version verification run:

            nomad job run -check-index {plan.JobModifyIndex} {path}

            When running the job with the check-index flag, the job will only be run if the
            job modify index given matches the server-side version. If the index has
            changed, another user has modified the job and the plan's results are
            potentially invalid.

            """);
        return text.ToString();
    }

    /// <summary>Nomad's getExitCode: 1 when the plan would place, stop, migrate or destructively update anything, else 0.</summary>
    public static int ExitCode(JobPlanResponse plan) =>
        (plan.Annotations?.DesiredTGUpdates ?? new()).Values.Any(d => d.Stop + d.Place + d.Migrate + d.DestructiveUpdate + d.Canary > 0) ? 1 : 0;

    public static string DryRun(JobPlanResponse plan, string jobType)
    {
        if (plan.FailedTGAllocs is not { Count: > 0 } failed) return "- All tasks successfully allocated.";
        var text = new StringBuilder(jobType == "system"
            ? "- WARNING: Failed to place allocations on all nodes.\n"
            : "- WARNING: Failed to place all allocations.\n");
        foreach (var group in AllocMetricsFormatter.SortedGroups(failed))
        {
            text.Append("  ").Append(AllocMetricsFormatter.FailedToPlace(group, failed[group])).Append('\n');
            text.Append(AllocMetricsFormatter.Format(failed[group], "    ")).Append("\n\n");
        }
        return text.ToString().TrimEnd('\n');
    }

    public static string JobDiff(JobDiff job, bool verbose)
    {
        var (marker, _) = Marker(job.Type);
        var text = new StringBuilder($"{marker}Job: {GoText.Quote(job.ID)}\n");
        var (longestField, longestMarker) = Longest(job.Fields, job.Objects);
        foreach (var tg in job.TaskGroups ?? [])
            longestMarker = Math.Max(longestMarker, Marker(tg.Type).Length);

        if (job.Type == "Edited" || verbose)
        {
            var fo = FieldsAndObjects(job.Fields, job.Objects, 0, longestField, longestMarker);
            text.Append(fo);
            if (fo.Length > 0) text.Append('\n');
        }
        foreach (var tg in job.TaskGroups ?? [])
            text.Append(TaskGroupDiff(tg, longestMarker - Marker(tg.Type).Length, verbose)).Append('\n');
        return text.ToString();
    }

    private static string TaskGroupDiff(TaskGroupDiff tg, int tgPrefix, bool verbose)
    {
        var (marker, _) = Marker(tg.Type);
        var text = new StringBuilder($"{marker}{Spaces(tgPrefix)}Task Group: {GoText.Quote(tg.Name)}");
        if (tg.Updates is { Count: > 0 } updates)
            text.Append(" (").Append(string.Join(", ", updates.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Value} {u.Key}"))).Append(")\n");
        else
            text.Append('\n');

        var (longestField, longestMarker) = Longest(tg.Fields, tg.Objects);
        foreach (var task in tg.Tasks ?? [])
            longestMarker = Math.Max(longestMarker, Marker(task.Type).Length);

        var subStart = tgPrefix + 2;
        if (tg.Type == "Edited" || verbose)
        {
            var fo = FieldsAndObjects(tg.Fields, tg.Objects, subStart, longestField, longestMarker);
            text.Append(fo);
            if (fo.Length > 0) text.Append('\n');
        }
        foreach (var task in tg.Tasks ?? [])
            text.Append(TaskDiff(task, subStart, longestMarker - Marker(task.Type).Length, verbose)).Append('\n');
        return text.ToString();
    }

    private static string TaskDiff(TaskDiff task, int start, int taskPrefix, bool verbose)
    {
        var (marker, _) = Marker(task.Type);
        var text = new StringBuilder($"{Spaces(start)}{marker}{Spaces(taskPrefix)}Task: {GoText.Quote(task.Name)}");
        if (task.Annotations is { Count: > 0 } annotations) text.Append(" (").Append(string.Join(", ", annotations)).Append(')');
        if (task.Type == "None" || (task.Type is "Deleted" or "Added" && !verbose)) return text.ToString();
        text.Append('\n');
        var (longestField, longestMarker) = Longest(task.Fields, task.Objects);
        text.Append(FieldsAndObjects(task.Fields, task.Objects, start + 2, longestField, longestMarker));
        return text.ToString();
    }

    private static string FieldsAndObjects(List<FieldDiff>? fields, List<ObjectDiff>? objects, int start, int longestField, int longestMarker)
    {
        fields ??= [];
        objects ??= [];
        var text = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            text.Append(FieldDiff(f, start, longestMarker - Marker(f.Type).Length, longestField - f.Name.Length));
            if (i + 1 != fields.Count || objects.Count > 0) text.Append('\n');
        }
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            text.Append(ObjectDiff(o, start, longestMarker - Marker(o.Type).Length));
            if (i + 1 != objects.Count) text.Append('\n');
        }
        return text.ToString();
    }

    private static string FieldDiff(FieldDiff diff, int start, int keyPrefix, int valuePrefix)
    {
        var (marker, _) = Marker(diff.Type);
        var text = new StringBuilder($"{Spaces(start)}{marker}{Spaces(keyPrefix)}{diff.Name}: {Spaces(valuePrefix)}");
        text.Append(diff.Type switch
        {
            "Deleted" => GoText.Quote(diff.Old),
            "Edited" => $"{GoText.Quote(diff.Old)} => {GoText.Quote(diff.New)}",
            _ => GoText.Quote(diff.New),
        });
        if (diff.Annotations is { Count: > 0 } annotations) text.Append(" (").Append(string.Join(", ", annotations)).Append(')');
        return text.ToString();
    }

    private static string ObjectDiff(ObjectDiff diff, int start, int keyPrefix)
    {
        var (marker, markerLength) = Marker(diff.Type);
        var text = new StringBuilder($"{Spaces(start)}{marker}{Spaces(keyPrefix)}{diff.Name} {{\n");
        var (longestField, longestMarker) = Longest(diff.Fields, diff.Objects);
        text.Append(FieldsAndObjects(diff.Fields, diff.Objects, start + keyPrefix + 2, longestField, longestMarker));
        return $"{text}\n{Spaces(start + markerLength + keyPrefix)}}}";
    }

    private static (int Field, int Marker) Longest(List<FieldDiff>? fields, List<ObjectDiff>? objects)
    {
        int field = 0, marker = 0;
        foreach (var f in fields ?? [])
        {
            field = Math.Max(field, f.Name.Length);
            marker = Math.Max(marker, Marker(f.Type).Length);
        }
        foreach (var o in objects ?? []) marker = Math.Max(marker, Marker(o.Type).Length);
        return (field, marker);
    }

    /// <summary>Nomad's getDiffString without colour: the marker and its printed width.</summary>
    private static (string Text, int Length) Marker(string type) => type switch
    {
        "Added" => ("+ ", 2),
        "Deleted" => ("- ", 2),
        "Edited" => ("+/- ", 4),
        _ => ("", 0),
    };

    private static string Spaces(int n) => new(' ', Math.Max(0, n));
}
