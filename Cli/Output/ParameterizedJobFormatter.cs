using System.Text;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Output;

/// <summary>
/// `nomad job status` of a parameterized job, after the basic block (Nomad's outputParameterizedInfo): its dispatch
/// rules, the children summary and the dispatched jobs (or that there are none).
/// </summary>
public static class ParameterizedJobFormatter
{
    /// <param name="children">the jobs listed under the job's dispatch prefix; only those whose parent it is are shown.</param>
    /// <returns>the text, ending with a newline.</returns>
    public static string Detail(Job job, JobSummary? summary, IEnumerable<JobListStub> children)
    {
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        var rules = job.ParameterizedJob ?? new ParameterizedJobConfig();

        Line("");
        Line("Parameterized Job");
        Line(Columns.KeyValues(
        [
            ("Payload", rules.Payload),
            ("Required Metadata", string.Join(", ", rules.MetaRequired ?? [])),
            ("Optional Metadata", string.Join(", ", rules.MetaOptional ?? [])),
        ]));

        if (summary is not null)
        {
            Line("");
            Line("Parameterized Job Summary");
            Line(ChildrenSummary(summary.Children));
        }

        var mine = children.Where(c => c.ParentID == job.ID).ToList();
        if (mine.Count == 0)
        {
            Line("");
            Line("No dispatched instances of parameterized job found");
            return text.ToString();
        }
        Line("");
        Line("Dispatched Jobs");
        var rows = new List<IReadOnlyList<string>> { new[] { "ID", "Status" } };
        rows.AddRange(mine.Select(c => (IReadOnlyList<string>)[c.ID, c.Status]));
        Line(Columns.Table(rows));
        return text.ToString();
    }

    /// <summary>The Pending/Running/Dead table of a parent job's children.</summary>
    public static string ChildrenSummary(JobChildrenSummary children) => Columns.Table(
    [
        new[] { "Pending", "Running", "Dead" },
        new[] { children.Pending.ToString(), children.Running.ToString(), children.Dead.ToString() },
    ]);
}
