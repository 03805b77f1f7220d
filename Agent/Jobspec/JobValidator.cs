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
        ParameterizedValidation.Job(job, ctx, errors);
        SoftPlacementValidator.Affinities(job, job.Affinities, ctx, errors);
        SoftPlacementValidator.Spreads(job, job.Spreads, ctx, errors);
        if (job.TaskGroups.Count == 0) errors.Add($"{ctx}: at least one group required");
        foreach (var name in Duplicates(job.TaskGroups.Select(g => g.Name).Where(n => n.Length > 0)))
            errors.Add($"{ctx}: group {Quote(name)} is defined more than once");
        for (int i = 0; i < job.TaskGroups.Count; i++) Group(job, job.TaskGroups[i], i, errors);
        if (job.Periodic is { Enabled: true } periodic)
        {
            if (job.Type is not (JobType.Batch or "sysbatch"))
                errors.Add($"{ctx}: Periodic can only be used with \"batch\" or \"sysbatch\" scheduler");
            errors.AddRange(PeriodicSchedule.Problems(periodic).Select(p => $"{ctx}: {p}"));
        }
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
        if (g.Migrate is { } m) Migrate(job, m, ctx, errors);
        Constraints(g.Constraints, ctx, errors);
        SoftPlacementValidator.Affinities(job, g.Affinities, ctx, errors);
        SoftPlacementValidator.Spreads(job, g.Spreads, ctx, errors);
        Ports(g, ctx, errors);
        VolumeValidator.Group(g, ctx, errors);
        if (g.Tasks.Count == 0) errors.Add($"{ctx}: at least one task required");
        else if (g.Tasks.All(t => t.Lifecycle is { Hook.Length: > 0 }))
            errors.Add($"{ctx}: at least one main task (a task without a lifecycle hook) required");
        if (g.Tasks.Count(t => t.Leader) > 1) errors.Add($"{ctx}: only one task may be marked as leader");
        if (g.ShutdownDelay < 0) errors.Add($"{ctx}: shutdown_delay must be >= 0");
        foreach (var name in Duplicates(g.Tasks.Select(t => t.Name).Where(n => n.Length > 0)))
            errors.Add($"{ctx}: task {Quote(name)} is defined more than once");
        for (int i = 0; i < g.Tasks.Count; i++) Task(job, g, g.Tasks[i], i, ctx, errors);
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

    /// <summary>Nomad's MigrateStrategy.Validate; only service jobs are moved by migrate's rules.</summary>
    private static void Migrate(Job job, MigrateStrategy m, string ctx, List<string> errors)
    {
        if (job.Type != JobType.Service)
        {
            errors.Add($"{ctx}: Job type \"{job.Type}\" does not allow migrate block");
            return;
        }
        if (m.MaxParallel < 0) errors.Add($"{ctx}: migrate.max_parallel must be >= 0 but found {m.MaxParallel}");
        if (m.HealthCheck is not ("checks" or "task_states"))
            errors.Add($"{ctx}: migrate.health_check must be \"checks\" or \"task_states\" (got \"{m.HealthCheck}\")");
        if (m.MinHealthyTime < 0) errors.Add($"{ctx}: migrate.min_healthy_time must be >= 0");
        if (m.HealthyDeadline < 0) errors.Add($"{ctx}: migrate.healthy_deadline must be >= 0");
        if (m.MinHealthyTime > m.HealthyDeadline) errors.Add($"{ctx}: migrate.min_healthy_time must be less than healthy_deadline");
    }

    private static void Reschedule(Job job, ReschedulePolicy s, string ctx, List<string> errors)
    {
        if (job.Type == JobType.System)
        {
            errors.Add($"{ctx}: reschedule: not allowed for system jobs");
            return;
        }
        // Nomad validates only a policy that reschedules at all (sysbatch's all-zero default does not).
        if (s.Attempts == 0 && !s.Unlimited) return;
        if (!ReschedulePolicy.DelayFunctions.Contains(s.DelayFunction))
            errors.Add($"{ctx}: reschedule.delay_function must be one of {string.Join(", ", ReschedulePolicy.DelayFunctions)} (got \"{s.DelayFunction}\")");
        if (s.Attempts < 0) errors.Add($"{ctx}: reschedule.attempts must be >= 0");
        if (s.Delay < 0 || s.Interval < 0 || s.MaxDelay < 0) errors.Add($"{ctx}: reschedule: durations must be >= 0");
        if (s.DelayFunction != "constant" && s.MaxDelay < s.Delay)
            errors.Add($"{ctx}: reschedule.max_delay must be at least reschedule.delay");
    }

    private static void Task(Job job, TaskGroup g, JobTask t, int index, string groupCtx, List<string> errors)
    {
        string ctx = t.Name.Length > 0 ? $"{groupCtx} task {Quote(t.Name)}" : $"{groupCtx} task {index + 1}";
        if (t.Name.Length == 0) errors.Add($"{ctx}: name: required");
        else if (t.Name.Contains('/')) errors.Add($"{ctx}: name must not contain \"/\"");
        else if (t.Name.Contains('\0')) errors.Add($"{ctx}: name contains a null character");
        if (t.Driver.Length == 0) errors.Add($"{ctx}: driver: required");
        ParameterizedValidation.Task(t, ctx, errors);
        if (t.Resources.CPU < MinCPU) errors.Add($"{ctx}: resources.cpu must be at least {MinCPU}");
        if (t.Resources.MemoryMB < MinMemoryMB) errors.Add($"{ctx}: resources.memory must be at least {MinMemoryMB}");
        if (t.Resources.DiskMB < 0) errors.Add($"{ctx}: resources.disk must be >= 0");
        if (t.Resources.Networks is { Count: > 1 }) errors.Add($"{ctx}: resources: only one network allowed");
        if (t.KillTimeout < 0) errors.Add($"{ctx}: kill_timeout must be >= 0");
        if (t.ShutdownDelay < 0) errors.Add($"{ctx}: shutdown_delay must be >= 0");
        if (t.Lifecycle is { Hook.Length: > 0 } l && !TaskLifecycleHook.All.Contains(l.Hook))
            errors.Add($"{ctx}: lifecycle.hook must be one of {string.Join(", ", TaskLifecycleHook.All)} (got {Quote(l.Hook)})");
        if (t.LogConfig.MaxFiles < 1) errors.Add($"{ctx}: logs.max_files must be at least 1");
        if (t.LogConfig.MaxFileSizeMB < 1) errors.Add($"{ctx}: logs.max_file_size must be at least 1");
        long logMB = (long)t.LogConfig.MaxFiles * t.LogConfig.MaxFileSizeMB;
        if (logMB >= g.EphemeralDisk.SizeMB && g.EphemeralDisk.SizeMB >= MinDiskMB)
            errors.Add($"{ctx}: logs: log storage ({logMB} MB) must be less than ephemeral_disk.size ({g.EphemeralDisk.SizeMB} MB)");
        Constraints(t.Constraints, ctx, errors);
        VolumeValidator.Task(g, t, ctx, errors);
        SoftPlacementValidator.Affinities(job, t.Affinities, ctx, errors);
        for (int i = 0; i < (t.Artifacts?.Count ?? 0); i++) Artifact(t.Artifacts![i], $"{ctx} artifact {i + 1}", errors);
        Templates.TemplateValidation.Validate(t.Templates, ctx, errors);
    }

    private static readonly Dictionary<string, int> ChecksumBytes = new() { ["md5"] = 16, ["sha1"] = 20, ["sha256"] = 32, ["sha512"] = 64 };

    /// <summary>Nomad's TaskArtifact.Validate: a source, a destination that stays in the allocation, a mode, a well-formed checksum.</summary>
    private static void Artifact(TaskArtifact a, string ctx, List<string> errors)
    {
        if (a.GetterSource.Length == 0) errors.Add($"{ctx}: source must be specified");
        if (a.GetterMode is not ("any" or "file" or "dir")) errors.Add($"{ctx}: invalid artifact mode \"{a.GetterMode}\"; must be one of: any, file, dir");
        // As Nomad's PathEscapesAllocDir("task", dest): joined under ALLOC/task, it must not climb out of ALLOC.
        string joined = System.IO.Path.GetFullPath(System.IO.Path.Join("/alloc-dir/alloc-id/task", a.RelativeDest));
        if (!joined.StartsWith("/alloc-dir/alloc-id/", StringComparison.Ordinal) && joined != "/alloc-dir/alloc-id")
            errors.Add($"{ctx}: destination escapes allocation directory");
        if (a.GetterOptions?.TryGetValue("checksum", out var check) != true) return;
        check = check!.Trim();
        var parts = check.Split(':');
        if (check.Length == 0) errors.Add($"{ctx}: checksum value cannot be empty");
        else if (parts.Length != 2) errors.Add($"{ctx}: checksum must be given as \"type:value\"; got \"{check}\"");
        else if (!ChecksumBytes.TryGetValue(parts[0], out int length)) errors.Add($"{ctx}: unsupported checksum type: {parts[0]}");
        else if (parts[1].Length % 2 != 0 || !parts[1].All(char.IsAsciiHexDigit)) errors.Add($"{ctx}: invalid checksum: {parts[1]} is not hexadecimal");
        else if (parts[1].Length != length * 2) errors.Add($"{ctx}: invalid {parts[0]} checksum: {parts[1]}");
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

    /// <summary>Whether <paramref name="pattern"/> compiles as a regular expression (constraints, affinities).</summary>
    internal static bool IsRegex(string pattern)
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
