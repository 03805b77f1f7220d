using Nomad.Agent.Jobspec.Api;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// The stanzas a job uses that the server's job model (<see cref="Structs.Job"/>) cannot hold yet, each named
/// where it is written: <c>job "x" periodic</c>, <c>group "web" service</c>, <c>group "web" task "app" template</c>.
/// Registration refuses such a job rather than silently dropping them. Works on a job as decoded or as
/// canonicalized: what Canonicalize fills by itself (a group's empty consul block, the default migrate strategy,
/// the job's update copied into its groups, the group's restart policy copied into its tasks) is not counted.
/// </summary>
public static class UnsupportedStanzas
{
    public static IReadOnlyList<string> Find(Job job)
    {
        var found = new List<string>();
        string ctx = $"job \"{job.ID ?? job.Name}\"";
        void Add(string where, string stanza, bool used) { if (used) found.Add($"{where} {stanza}"); }

        Add(ctx, "multiregion", job.Multiregion is not null);
        // consul_token and vault_token are not stanzas: Nomad's CLI copies them from the environment into every job,
        // and they mean nothing without a vault block or a service, which are refused themselves.
        foreach (var g in job.TaskGroups ?? [])
        {
            string gctx = $"group \"{g.Name}\"";
            // Host volumes work; CSI needs plugins these machines do not have.
            Add(gctx, "volume (type csi)", g.Volumes is { } vols && vols.Values.Any(v => v.Type == "csi"));
            Add(gctx, "update", g.Update is not null && !SameUpdate(g.Update, job.Update));
            Add(gctx, "service", g.Services is { Count: > 0 });
            Add(gctx, "stop_after_client_disconnect", g.StopAfterClientDisconnect is not null);
            Add(gctx, "max_client_disconnect", g.MaxClientDisconnect is not null);
            Add(gctx, "scaling", g.Scaling is not null);
            Add(gctx, "consul", g.Consul is { Namespace.Length: > 0 });
            foreach (var n in g.Networks ?? []) Network(n, gctx, found);
            foreach (var t in g.Tasks ?? [])
            {
                string tctx = $"{gctx} task \"{t.Name}\"";
                Add(tctx, "service", t.Services is { Count: > 0 });
                Add(tctx, "restart", t.RestartPolicy is not null && !SameRestart(t.RestartPolicy, g.RestartPolicy));
                Add(tctx, "vault", t.Vault is not null);
                Add(tctx, "csi_plugin", t.CSIPluginConfig is not null);
                Add(tctx, "kind", !string.IsNullOrEmpty(t.Kind));
                Add(tctx, "scaling", t.ScalingPolicies is { Count: > 0 });
                if (t.Resources is { } r)
                {
                    Add(tctx, "resources cores", r.Cores is > 0);
                    Add(tctx, "resources memory_max", r.MemoryMaxMB is > 0);
                    Add(tctx, "resources device", r.Devices is { Count: > 0 });
                    foreach (var n in r.Networks ?? []) Network(n, $"{tctx} resources", found);
                }
            }
        }
        return found;
    }

    private static void Network(NetworkResource n, string ctx, List<string> found)
    {
        if (n.DNS is not null) found.Add($"{ctx} network dns");
        if (!string.IsNullOrEmpty(n.Hostname)) found.Add($"{ctx} network hostname");
        if ((n.ReservedPorts ?? []).Concat(n.DynamicPorts ?? []).Any(p => !string.IsNullOrEmpty(p.HostNetwork) && p.HostNetwork != "default"))
            found.Add($"{ctx} network port host_network");
    }

    private static bool SameUpdate(UpdateStrategy g, UpdateStrategy? j) =>
        j is not null && g.Stagger == j.Stagger && g.MaxParallel == j.MaxParallel && g.HealthCheck == j.HealthCheck
        && g.MinHealthyTime == j.MinHealthyTime && g.HealthyDeadline == j.HealthyDeadline && g.ProgressDeadline == j.ProgressDeadline
        && g.Canary == j.Canary && g.AutoRevert == j.AutoRevert && g.AutoPromote == j.AutoPromote;

    private static bool SameRestart(RestartPolicy t, RestartPolicy? g) =>
        g is not null && t.Interval == g.Interval && t.Attempts == g.Attempts && t.Delay == g.Delay && t.Mode == g.Mode;
}
