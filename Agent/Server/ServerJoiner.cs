using Nomad.Agent.Config;
using Nomad.Agent.Logging;

namespace Nomad.Agent.Server;

/// <summary>
/// Joins the gossip pool at start: start_join (-join) once, then retry_join (-retry-join) every retry_interval until
/// one address answers or retry_max attempts are used (0: no limit).
/// </summary>
public static class ServerJoiner
{
    public static Task Start(ServerGossip gossip, ServerConfig config, Logger log, CancellationToken ct) => Task.Run(async () =>
    {
        var start = config.StartJoin ?? [];
        if (start.Count > 0)
        {
            var n = await gossip.JoinAsync(start).ConfigureAwait(false);
            if (n > 0) log.Info($"join completed: servers_joined={n}");
            else log.Error($"join failed: no servers reachable at {string.Join(", ", start)}");
        }
        var retry = (config.RetryJoin ?? []).Where(a => ServerGossip.WithPort(a, ServerGossip.DefaultPort) != gossip.Node.Address).ToList();
        if (retry.Count == 0) return; // nothing, or only ourselves: the others join us
        var interval = config.RetryInterval!.Value;
        var max = config.RetryMaxAttempts ?? 0;
        for (var attempt = 1; !ct.IsCancellationRequested; attempt++)
        {
            log.Info($"retry_join: joining servers: addresses=\"{string.Join(", ", retry)}\" attempt={attempt}");
            if (await gossip.JoinAsync(retry).ConfigureAwait(false) is var joined and > 0)
            {
                log.Info($"retry_join: join completed: servers_joined={joined}");
                return;
            }
            if (max > 0 && attempt >= max)
            {
                log.Error($"retry_join: giving up after {attempt} attempts");
                return;
            }
            log.Warn($"retry_join: join failed, retrying in {interval}");
            try { await Task.Delay(interval, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    });
}
