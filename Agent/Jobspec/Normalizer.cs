using Nomad.Agent.Jobspec.Api;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// jobspec2's normalizeJob (Nomad 1.4), applied to every decoded job whether or not it is canonicalized: ID and
/// name from the block's label, a cron spec's type, tasks written directly in the job become groups of their own
/// (before the declared groups), static ports move from DynamicPorts to ReservedPorts, templates and vault blocks
/// get their defaults, and the job-level vault block goes to every task without one.
/// </summary>
internal static class Normalizer
{
    private const long Second = 1_000_000_000;

    public static Job Normalize(JobDecoder.Decoded decoded, string jobId)
    {
        var j = decoded.Job;
        j.Name ??= jobId;
        j.ID ??= jobId;
        if (j.Periodic is { Spec: not null } or { Specs: not null }) j.Periodic.SpecType = "cron";
        Vault(decoded.Vault);
        if (decoded.Tasks.Count > 0)
        {
            var alone = decoded.Tasks.Select(t => new TaskGroup { Name = t.Name, Tasks = [t] }).ToList();
            j.TaskGroups = [.. alone, .. j.TaskGroups ?? []];
        }
        foreach (var g in j.TaskGroups ?? [])
        {
            Ports(g.Networks);
            foreach (var t in g.Tasks ?? [])
            {
                if (t.Resources is not null) Ports(t.Resources.Networks);
                foreach (var tmpl in t.Templates ?? []) Template(tmpl);
                Vault(t.Vault);
                t.Vault ??= decoded.Vault;
            }
        }
        return j;
    }

    private static void Vault(Vault? v)
    {
        if (v is null) return;
        v.Env ??= true;
        v.ChangeMode ??= "restart";
    }

    /// <summary>A <c>port</c> block with a static value is a reserved port; the rest stay dynamic (nil when none).</summary>
    private static void Ports(List<NetworkResource>? networks)
    {
        foreach (var n in networks ?? [])
        {
            if (n.DynamicPorts is not { Count: > 0 }) continue;
            var reserved = n.DynamicPorts.Where(p => p.Value > 0).ToList();
            var dynamic = n.DynamicPorts.Where(p => p.Value <= 0).ToList();
            n.DynamicPorts = dynamic.Count == 0 ? null : dynamic;
            n.ReservedPorts = reserved.Count == 0 ? null : reserved;
        }
    }

    private static void Template(Template t)
    {
        t.ChangeMode ??= "restart";
        t.Perms ??= "0644";
        t.Splay ??= 5 * Second;
        if (t.ChangeScript is { } cs)
        {
            cs.Args ??= [];
            cs.Timeout ??= 5 * Second;
            cs.FailOnError ??= false;
        }
    }
}
