using System.Text;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Output;

/// <summary>`nomad eval status`, and the evaluation tables of job status and of an ambiguous eval prefix.</summary>
public static class EvalFormatter
{
    /// <summary>ID, Priority, Triggered By, Status, Placement Failures.</summary>
    public static string Table(IEnumerable<Evaluation> evals, bool verbose)
    {
        var rows = new List<IReadOnlyList<string>> { new[] { "ID", "Priority", "Triggered By", "Status", "Placement Failures" } };
        rows.AddRange(evals.Select(e => (IReadOnlyList<string>)
            [Ids.Display(e.ID, verbose), e.Priority.ToString(), e.TriggeredBy, e.Status, FailureStatus(e).Text]));
        return Columns.Table(rows);
    }

    /// <summary>Nomad's evalFailureStatus: "true"/"false", or "N/A - In Progress" while blocked.</summary>
    public static (string Text, bool HasFailures) FailureStatus(Evaluation eval)
    {
        var has = eval.FailedTGAllocs is { Count: > 0 };
        return (eval.Status == EvalStatus.Blocked ? "N/A - In Progress" : has ? "true" : "false", has);
    }

    /// <summary>Nomad's getTriggerDetails: which job or node (or earlier eval) the trigger names.</summary>
    public static (string Noun, string Subject) TriggerDetails(Evaluation eval) => eval.TriggeredBy switch
    {
        "job-register" or "job-deregister" or "periodic-job" or "rolling-update" or "deployment-watcher" => ("Job ID", eval.JobID),
        "node-update" or "node-drain" => ("Node ID", eval.NodeID),
        "max-plan-attempts" => ("Previous Eval", eval.PreviousEval),
        _ => ("", ""),
    };

    /// <returns>the text, ending with a newline.</returns>
    public static string Status(Evaluation eval, bool verbose, DateTime now, TimeZoneInfo zone)
    {
        var (failureText, failures) = FailureStatus(eval);
        var (noun, subject) = TriggerDetails(eval);
        var statusDescription = eval.StatusDescription.Length == 0 ? eval.Status : eval.StatusDescription;
        var created = verbose ? Timestamps.FromUnixNanos(eval.CreateTime, zone) : RelativeTime.Ago(eval.CreateTime, now);
        var modified = verbose ? Timestamps.FromUnixNanos(eval.ModifyTime, zone) : RelativeTime.Ago(eval.ModifyTime, now);

        var basic = new List<(string, string)>
        {
            ("ID", Ids.Display(eval.ID, verbose)),
            ("Create Time", created),
            ("Modify Time", modified),
            ("Status", eval.Status),
            ("Status Description", statusDescription),
            ("Type", eval.Type),
            ("TriggeredBy", eval.TriggeredBy),
        };
        if (noun.Length > 0) basic.Add((noun, subject));
        basic.Add(("Priority", eval.Priority.ToString()));
        basic.Add(("Placement Failures", failureText));
        if (verbose)
        {
            basic.Add(("Previous Eval", eval.PreviousEval));
            basic.Add(("Next Eval", eval.NextEval));
            basic.Add(("Blocked Eval", eval.BlockedEval));
        }

        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        Line(Columns.KeyValues(basic));

        if (failures)
        {
            Line("");
            Line("Failed Placements");
            foreach (var group in AllocMetricsFormatter.SortedGroups(eval.FailedTGAllocs))
            {
                var metrics = eval.FailedTGAllocs![group];
                Line(AllocMetricsFormatter.FailedToPlace(group, metrics));
                Line(AllocMetricsFormatter.Format(metrics, "  "));
                Line("");
            }
            if (eval.BlockedEval.Length > 0)
                Line($"Evaluation {GoText.Quote(Ids.Display(eval.BlockedEval, verbose))} waiting for additional capacity to place remainder");
        }
        return text.ToString();
    }
}
