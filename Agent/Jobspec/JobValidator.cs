using System.Text.RegularExpressions;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// The rules a job must meet before it is registered, each broken rule one message that names where:
/// <c>job "x": ...</c>, <c>group "g": ...</c>, <c>group "g" task "t": ...</c>. Run it on canonicalized jobs.
/// </summary>
public static class JobValidator
{
    public const int MinCPU = 1, MinMemoryMB = 10, MinDiskMB = 10;
    private const long MinRestartInterval = 5_000_000_000;

    public static IReadOnlyList<string> Validate(Job job)
    {
        var errors = new List<string>();
        string ctx = $"job {Quote(job.ID)}";
        // Nomad refuses only these two characters in an ID ("a/b?c&d:e\t字" is a valid job ID) and a NUL in any name.
        if (job.ID.Length == 0) errors.Add("job: ID: required");
        else if (job.ID.Contains(' ')) errors.Add("Job ID contains a space");
        else if (job.ID.Contains('\0')) errors.Add("Job ID contains a null character");
        if (job.Name.Length == 0) errors.Add($"{ctx}: name: required");
        else if (job.Name.Contains('\0')) errors.Add("Job Name contains a null character");
        if (!JobType.All.Contains(job.Type))
            errors.Add($"{ctx}: job type must be one of {string.Join(", ", JobType.All)} (got \"{job.Type}\")");
        if (job.Priority is < 1 or > 100) errors.Add($"{ctx}: priority must be between 1 and 100");
        if (job.Datacenters.Count == 0) errors.Add($"{ctx}: datacenters: at least one required");
        else if (job.Datacenters.Any(string.IsNullOrWhiteSpace)) errors.Add($"{ctx}: datacenters: names must not be empty");
        Constraints(job.Constraints, ctx, errors);
        if (job.TaskGroups.Count == 0) errors.Add($"{ctx}: at least one group required");
        foreach (var name in Duplicates(job.TaskGroups.Select(g => g.Name).Where(n => n.Length > 0)))
            errors.Add($"{ctx}: group {Quote(name)} is defined more than once");
        for (int i = 0; i < job.TaskGroups.Count; i++) Group(job, job.TaskGroups[i], i, errors);
        return errors;
    }

    private static void Group(Job job, TaskGroup g, int index, List<string> errors)
    {
        string ctx = g.Name.Length > 0 ? $"group {Quote(g.Name)}" : $"group {index + 1}";
        if (g.Name.Length == 0) errors.Add($"{ctx}: name: required");
        else if (g.Name.Contains('\0')) errors.Add($"{ctx}: name contains a null character");
        if (g.Count < 0) errors.Add($"{ctx}: count must be >= 0");
        if (g.EphemeralDisk.SizeMB < MinDiskMB) errors.Add($"{ctx}: ephemeral_disk.size must be at least {MinDiskMB}");
        if (g.RestartPolicy is { } r) Restart(r, ctx, errors);
        if (g.ReschedulePolicy is { } s) Reschedule(job, s, ctx, errors);
        Constraints(g.Constraints, ctx, errors);
        Ports(g, ctx, errors);
        if (g.Tasks.Count == 0) errors.Add($"{ctx}: at least one task required");
        foreach (var name in Duplicates(g.Tasks.Select(t => t.Name).Where(n => n.Length > 0)))
            errors.Add($"{ctx}: task {Quote(name)} is defined more than once");
        for (int i = 0; i < g.Tasks.Count; i++) Task(g, g.Tasks[i], i, ctx, errors);
    }

    private static void Restart(RestartPolicy r, string ctx, List<string> errors)
    {
        if (r.Mode is not (RestartMode.Fail or RestartMode.Delay))
            errors.Add($"{ctx}: restart.mode must be \"fail\" or \"delay\" (got \"{r.Mode}\")");
        if (r.Attempts < 0) errors.Add($"{ctx}: restart.attempts must be >= 0");
        if (r.Delay < 0) errors.Add($"{ctx}: restart.delay must be >= 0");
        if (r.Interval < MinRestartInterval) errors.Add($"{ctx}: restart.interval must be at least 5s");
        else if (r.Attempts > 0 && r.Delay > 0 && (Int128)r.Attempts * r.Delay > r.Interval)
            errors.Add($"{ctx}: restart: {r.Attempts} attempts with a delay of {GoDuration.FormatNanoseconds(r.Delay)} " +
                       $"do not fit in an interval of {GoDuration.FormatNanoseconds(r.Interval)}");
    }

    private static void Reschedule(Job job, ReschedulePolicy s, string ctx, List<string> errors)
    {
        if (job.Type == JobType.System)
        {
            errors.Add($"{ctx}: reschedule: not allowed for system jobs");
            return;
        }
        if (!ReschedulePolicy.DelayFunctions.Contains(s.DelayFunction))
            errors.Add($"{ctx}: reschedule.delay_function must be one of {string.Join(", ", ReschedulePolicy.DelayFunctions)} (got \"{s.DelayFunction}\")");
        if (s.Attempts < 0) errors.Add($"{ctx}: reschedule.attempts must be >= 0");
        if (s.Delay < 0 || s.Interval < 0 || s.MaxDelay < 0) errors.Add($"{ctx}: reschedule: durations must be >= 0");
        if (s.DelayFunction != "constant" && s.MaxDelay < s.Delay)
            errors.Add($"{ctx}: reschedule.max_delay must be at least reschedule.delay");
    }

    private static void Task(TaskGroup g, JobTask t, int index, string groupCtx, List<string> errors)
    {
        string ctx = t.Name.Length > 0 ? $"{groupCtx} task {Quote(t.Name)}" : $"{groupCtx} task {index + 1}";
        if (t.Name.Length == 0) errors.Add($"{ctx}: name: required");
        else if (t.Name.Contains('/')) errors.Add($"{ctx}: name must not contain \"/\"");
        else if (t.Name.Contains('\0')) errors.Add($"{ctx}: name contains a null character");
        if (t.Driver.Length == 0) errors.Add($"{ctx}: driver: required");
        if (t.Resources.CPU < MinCPU) errors.Add($"{ctx}: resources.cpu must be at least {MinCPU}");
        if (t.Resources.MemoryMB < MinMemoryMB) errors.Add($"{ctx}: resources.memory must be at least {MinMemoryMB}");
        if (t.Resources.DiskMB < 0) errors.Add($"{ctx}: resources.disk must be >= 0");
        if (t.Resources.Networks is { Count: > 1 }) errors.Add($"{ctx}: resources: only one network allowed");
        if (t.KillTimeout < 0) errors.Add($"{ctx}: kill_timeout must be >= 0");
        if (t.LogConfig.MaxFiles < 1) errors.Add($"{ctx}: logs.max_files must be at least 1");
        if (t.LogConfig.MaxFileSizeMB < 1) errors.Add($"{ctx}: logs.max_file_size must be at least 1");
        long logMB = (long)t.LogConfig.MaxFiles * t.LogConfig.MaxFileSizeMB;
        if (logMB >= g.EphemeralDisk.SizeMB && g.EphemeralDisk.SizeMB >= MinDiskMB)
            errors.Add($"{ctx}: logs: log storage ({logMB} MB) must be less than ephemeral_disk.size ({g.EphemeralDisk.SizeMB} MB)");
        Constraints(t.Constraints, ctx, errors);
        Templates.TemplateValidation.Validate(t.Templates, ctx, errors);
    }

    /// <summary>Port labels are unique within a group (its own network and its tasks'); so are static ports.</summary>
    private static void Ports(TaskGroup g, string ctx, List<string> errors)
    {
        var networks = (g.Networks ?? []).Concat(g.Tasks.SelectMany(t => t.Resources.Networks ?? [])).ToList();
        var reserved = networks.SelectMany(n => n.ReservedPorts ?? []).ToList();
        var all = reserved.Concat(networks.SelectMany(n => n.DynamicPorts ?? [])).ToList();
        foreach (var label in Duplicates(all.Select(p => p.Label)))
            errors.Add($"{ctx}: port label \"{label}\" is used more than once");
        foreach (var value in Duplicates(reserved.Select(p => p.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            errors.Add($"{ctx}: static port {value} is used more than once");
        foreach (var p in all)
        {
            if (p.Label.Length == 0) errors.Add($"{ctx}: port: label required");
            if (p.Value is < 0 or > 65535) errors.Add($"{ctx}: port \"{p.Label}\": static must be between 1 and 65535");
            if (p.To is < -1 or > 65535) errors.Add($"{ctx}: port \"{p.Label}\": to must be between -1 and 65535");
        }
    }

    private static readonly HashSet<string> NoRightTarget = new(StringComparer.Ordinal)
    {
        ConstraintOperand.DistinctHosts, ConstraintOperand.DistinctProperty, ConstraintOperand.AttributeIsSet, ConstraintOperand.AttributeIsNotSet,
    };

    private static void Constraints(List<Constraint>? constraints, string ctx, List<string> errors)
    {
        for (int i = 0; i < (constraints?.Count ?? 0); i++)
        {
            var c = constraints![i];
            string at = $"{ctx}: constraint {i + 1}";
            if (!ConstraintOperand.All.Contains(c.Operand))
            {
                errors.Add($"{at}: unknown operator \"{c.Operand}\"");
                continue;
            }
            if (c.Operand != ConstraintOperand.DistinctHosts && c.LTarget.Length == 0) errors.Add($"{at}: attribute: required");
            if (!NoRightTarget.Contains(c.Operand) && c.RTarget.Length == 0) errors.Add($"{at}: value: required");
            if (c.Operand == ConstraintOperand.Regex && c.RTarget.Length > 0 && !IsRegex(c.RTarget))
                errors.Add($"{at}: invalid regular expression \"{c.RTarget}\"");
        }
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// A name in double quotes as JSON writes it, control characters escaped (\t, \n, \u0000) so a message stays one
    /// printable line. Written by hand: the JSON serializer's first use costs a CLI ~30 ms of start-up.
    /// </summary>
    private static string Quote(string name)
    {
        var quoted = new System.Text.StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\b' => "\\b",
                '\f' => "\\f",
                < ' ' or (>= '\u007f' and <= '\u009f') => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    private static IEnumerable<string> Duplicates(IEnumerable<string> names) =>
        names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key);
}
