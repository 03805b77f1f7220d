using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Node;

/// <summary>
/// Follows a node drain as Nomad's MonitorDrain does: each allocation marked for migration, draining and changing
/// status, then "All allocations on node ... have stopped" and "Node ... has marked all allocations for migration"
/// once the servers clear the drain strategy. Every line is stamped with the time.
/// </summary>
public sealed class NodeDrainMonitor(NomadApiClient client, TextWriter stdout, TextWriter stderr)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(2);

    /// <param name="justSet">the caller has just set the drain: a node already without a strategy has finished draining (an empty node does at once).</param>
    public async Task<int> MonitorAsync(string nodeId, bool ignoreSystem, bool justSet, CancellationToken ct)
    {
        var seen = new Dictionary<string, Allocation>();
        bool strategySeen = justSet, nodeDone = false, allocsDone = false;
        ulong allocIndex = 0;
        void Say(string message) => stdout.WriteLine($"{Timestamps.Format(DateTime.UtcNow, TimeZoneInfo.Local)}: {message}");

        while (!(nodeDone && allocsDone))
        {
            try
            {
                if (!nodeDone)
                {
                    var node = (await client.GetNodeAsync(nodeId, ct)).Value;
                    if (node.DrainStrategy is not null) strategySeen = true;
                    else
                    {
                        Say(strategySeen ? $"Node {GoText.Quote(nodeId)} has marked all allocations for migration" : $"No drain strategy set for node {nodeId}");
                        nodeDone = true;
                        if (!strategySeen) return 0;
                    }
                }
                if (!allocsDone)
                {
                    var response = await client.GetNodeAllocationsAsync(nodeId, allocIndex, Wait, ct);
                    if (response.Index <= allocIndex || response.Index == 0) await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                    allocIndex = Math.Max(allocIndex, response.Index);
                    var running = 0;
                    foreach (var alloc in response.Value)
                    {
                        if (ignoreSystem && alloc.Job?.Type == JobType.System) continue;
                        if (seen.TryGetValue(alloc.ID, out var before))
                        {
                            var migrating = alloc.DesiredTransition.Migrate == true;
                            if (migrating && before.DesiredTransition.Migrate != true) Say($"Alloc {GoText.Quote(alloc.ID)} marked for migration");
                            else if (migrating && before.DesiredStatus != alloc.DesiredStatus && alloc.DesiredStatus == AllocDesiredStatus.Stop)
                                Say($"Alloc {GoText.Quote(alloc.ID)} draining");
                            if (before.ClientStatus != alloc.ClientStatus)
                                Say($"Alloc {GoText.Quote(alloc.ID)} status {before.ClientStatus} -> {alloc.ClientStatus}");
                        }
                        seen[alloc.ID] = alloc;
                        if (!alloc.ClientTerminal) running++;
                    }
                    if (running == 0)
                    {
                        Say($"All allocations on node {GoText.Quote(nodeId)} have stopped");
                        allocsDone = true;
                    }
                }
                else
                {
                    await Task.Delay(Wait / 4, ct);
                }
            }
            catch (NomadApiException e)
            {
                stderr.WriteLine($"Error monitoring node drain: {e.Message}");
                return 1;
            }
        }
        Say($"Node {GoText.Quote(nodeId)} drain complete");
        return 0;
    }
}
