using System.Text;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>`nomad job status`: the job list, and one job's summary, evaluations, placement failures and allocations.</summary>
public static class JobStatusFormatter
{
    /// <summary>Nomad's createStatusListOutput: ID, Type, Priority, Status, Submit Date.</summary>
    public static string List(IReadOnlyList<JobListStub> jobs, TimeZoneInfo zone)
    {
        var rows = new List<IReadOnlyList<string>> { new[] { "ID", "Type", "Priority", "Status", "Submit Date" } };
        rows.AddRange(jobs.Select(j => (IReadOnlyList<string>)
        [
            j.ID, TypeText(j.Type, j.Periodic, j.ParameterizedJob), j.Priority.ToString(), StatusText(j.Status, j.Stop),
            Timestamps.FromUnixNanos(j.SubmitTime, zone),
        ]));
        return Columns.Table(rows);
    }

    /// <summary>Nomad's getTypeString: "batch/periodic", "batch/parameterized", else the type.</summary>
    public static string TypeText(string type, bool periodic, bool parameterized) =>
        periodic ? type + "/periodic" : parameterized ? type + "/parameterized" : type;

    /// <summary>Nomad's getStatusString: a stopped job that is not dead yet reads "dead (stopped)".</summary>
    public static string StatusText(string status, bool stop) => stop && status != JobStatus.Dead ? "dead (stopped)" : status;

    /// <summary>Everything one job's status shows. <paramref name="evals"/> and <paramref name="allocs"/> are as the API listed them.</summary>
    public sealed record JobView(Job Job, bool Periodic, bool Parameterized, JobSummary? Summary,
        IReadOnlyList<Evaluation> Evals, IReadOnlyList<AllocListStub> Allocs);

    /// <summary>The ID/Name/... block only (-short, and the head of the full view).</summary>
    /// <param name="nextPeriodicLaunch">A periodic job's "Next Periodic Launch" line, when it has one.</param>
    public static string Basic(JobView view, TimeZoneInfo zone, string? nextPeriodicLaunch = null)
    {
        var job = view.Job;
        IEnumerable<(string, string)> periodic = nextPeriodicLaunch is null ? [] : [("Next Periodic Launch", nextPeriodicLaunch)];
        return Columns.KeyValues(
        [
            ("ID", job.ID),
            ("Name", job.Name),
            ("Submit Date", Timestamps.FromUnixNanos(job.SubmitTime, zone)),
            ("Type", job.Type),
            ("Priority", job.Priority.ToString()),
            ("Datacenters", string.Join(",", job.Datacenters)),
            ("Namespace", job.Namespace),
            ("Status", StatusText(job.Status, job.Stop)),
            ("Periodic", view.Periodic ? "true" : "false"),
            ("Parameterized", view.Parameterized ? "true" : "false"),
            .. periodic,
        ]);
    }

    /// <summary>Nomad's "Next Periodic Launch" value: none for a stopped job, else the next launch; null when there is none.</summary>
    public static string? NextPeriodicLaunch(Job job, DateTime nowUtc) =>
        job.Stop ? "none (job stopped)" : PeriodicLaunchText.Next(job.Periodic, nowUtc);

    /// <summary>Nomad's outputPeriodicInfo: the jobs a periodic job launched, with their status.</summary>
    /// <returns>the text, starting with the blank line that separates it and ending with a newline.</returns>
    public static string PeriodicChildren(string parentId, IReadOnlyList<JobListStub> children)
    {
        if (children.Count == 0) return "\nNo instances of periodic job found\n";
        var rows = new List<IReadOnlyList<string>> { new[] { "ID", "Status" } };
        rows.AddRange(children.Where(c => c.ParentID == parentId).Select(c => (IReadOnlyList<string>)[c.ID, c.Status]));
        return $"\nPreviously Launched Jobs\n{Columns.Table(rows)}\n";
    }

    /// <returns>the text, ending with a newline.</returns>
    public static string Detail(JobView view, bool verbose, DateTime now, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');

        Line(Basic(view, zone));

        Line("");
        Line("Summary");
        var rows = new List<IReadOnlyList<string>> { new[] { "Task Group", "Queued", "Starting", "Running", "Failed", "Complete", "Lost" } };
        foreach (var (group, s) in (view.Summary?.Summary ?? new()).OrderBy(p => p.Key, StringComparer.Ordinal))
            rows.Add([group, s.Queued.ToString(), s.Starting.ToString(), s.Running.ToString(), s.Failed.ToString(), s.Complete.ToString(), s.Lost.ToString()]);
        Line(Columns.Table(rows));

        if (verbose)
        {
            Line("");
            Line("Evaluations");
            Line(EvalFormatter.Table(view.Evals, verbose));
        }

        // Placement failures are shown while a blocked evaluation still waits to place the remainder.
        var latestFailed = view.Evals.Where(e => e.FailedTGAllocs is { Count: > 0 }).MaxBy(e => e.CreateIndex);
        if (view.Evals.Any(e => e.Status == EvalStatus.Blocked) && latestFailed is not null)
        {
            Line("");
            Line("Placement Failure");
            var groups = AllocMetricsFormatter.SortedGroups(latestFailed.FailedTGAllocs);
            for (var i = 0; i < groups.Count; i++)
            {
                Line($"Task Group {GoText.Quote(groups[i])}:");
                Line(AllocMetricsFormatter.Format(latestFailed.FailedTGAllocs![groups[i]], "  "));
                if (i != groups.Count - 1) Line("");
            }
        }

        Line("");
        Line("Allocations");
        Line(AllocListFormatter.Format(view.Allocs, verbose, now, zone));
        return text.ToString();
    }
}
