using System.Text.Json;
using Nomad.Agent.Client;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Checks each task's driver <c>config</c> with this agent's own driver of that name, so a typo fails the
/// registration rather than the placement. Tasks whose driver this agent lacks are left to the node that runs them.
/// </summary>
public static class LocalTaskConfigCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Func<Job, CancellationToken, Task<IReadOnlyList<string>>>? For(DriverManager? drivers, Logger log)
    {
        if (drivers is null) return null;
        return async (job, ct) =>
        {
            var errors = new List<string>();
            foreach (var g in job.TaskGroups)
            foreach (var t in g.Tasks)
            {
                if (drivers.Get(t.Driver)?.Driver is not { } driver) continue;
                var config = JsonSerializer.SerializeToElement(t.Config ?? new Dictionary<string, object?>());
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(Timeout);
                    var result = await driver.ValidateTaskConfigAsync(config, timeout.Token).ConfigureAwait(false);
                    errors.AddRange(result.Errors.Select(e => $"group \"{g.Name}\" task \"{t.Name}\": {e}"));
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // A driver that cannot answer now must not block registration; the client checks again at start.
                    log.Warn($"could not validate task config: driver={t.Driver} task={t.Name} error=\"{e.Message}\"");
                }
            }
            return errors;
        };
    }
}
