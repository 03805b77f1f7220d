using System.CommandLine;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Commands.Node;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands;

/// <summary>
/// Finds the one job, allocation, evaluation or node an ID prefix names, as Nomad's commands do: UUID prefixes need
/// at least two characters and lose a trailing odd hex digit; no match or several matches is an error on standard
/// error (several list the candidates). Each returns null after printing why.
/// </summary>
public static class Lookups
{
    /// <summary>
    /// A job by exact ID or ID prefix; an exact ID wins over longer IDs it prefixes. With <paramref name="filter"/>, only
    /// the jobs it accepts count (Nomad's JobIDByPrefix: `job dispatch` looks among parameterized jobs only).
    /// </summary>
    public static async Task<JobListStub?> JobAsync(ParseResult parsed, NomadApiClient client, string prefix, string errorContext, CancellationToken ct,
        Func<JobListStub, bool>? filter = null)
    {
        List<JobListStub> jobs;
        try
        {
            jobs = (await client.ListJobsAsync(prefix, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"{errorContext}: {e.Message}");
            return null;
        }
        if (filter is not null) jobs = jobs.Where(filter).ToList();
        if (jobs.Count == 0)
        {
            parsed.Err().WriteLine($"No job(s) with prefix or id {GoText.Quote(prefix)} found");
            return null;
        }
        var exact = jobs.FirstOrDefault(j => j.ID == prefix.Trim());
        if (jobs.Count > 1 && exact is null)
        {
            parsed.Err().WriteLine($"Prefix matched multiple jobs\n\n{JobStatusFormatter.List(jobs, TimeZoneInfo.Local)}");
            return null;
        }
        return exact ?? jobs[0];
    }

    public static async Task<AllocListStub?> AllocAsync(ParseResult parsed, NomadApiClient client, string prefix, bool verbose, string tooShort, CancellationToken ct)
    {
        if (prefix.Length == 1)
        {
            parsed.Err().WriteLine(tooShort);
            return null;
        }
        prefix = SanitizeUuidPrefix(prefix);
        List<AllocListStub> allocs;
        try
        {
            allocs = (await client.ListAllocationsAsync(prefix, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying allocation: {e.Message}");
            return null;
        }
        switch (allocs.Count)
        {
            case 0:
                parsed.Err().WriteLine($"No allocation(s) with prefix or id {GoText.Quote(prefix)} found");
                return null;
            case 1:
                return allocs[0];
            default:
                parsed.Err().WriteLine($"Prefix matched multiple allocations\n\n{AllocListFormatter.Format(allocs, verbose, DateTime.UtcNow, TimeZoneInfo.Local)}");
                return null;
        }
    }

    public static async Task<Evaluation?> EvalAsync(ParseResult parsed, NomadApiClient client, string prefix, bool verbose, CancellationToken ct)
    {
        if (prefix.Length == 1)
        {
            parsed.Err().WriteLine("Identifier must contain at least two characters.");
            return null;
        }
        prefix = SanitizeUuidPrefix(prefix);
        List<Evaluation> evals;
        try
        {
            evals = (await client.ListEvaluationsAsync(prefix, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying evaluation: {e.Message}");
            return null;
        }
        switch (evals.Count)
        {
            case 0:
                parsed.Err().WriteLine($"No evaluation(s) with prefix or id {GoText.Quote(prefix)} found");
                return null;
            case 1:
                return evals[0];
            default:
                parsed.Err().WriteLine($"Prefix matched multiple evaluations\n\n{EvalFormatter.Table(evals, verbose)}");
                return null;
        }
    }

    /// <param name="errorContext">what the command was doing, e.g. "Error toggling drain mode".</param>
    /// <param name="verbose">full IDs in the candidates of an ambiguous prefix.</param>
    /// <param name="notFound">the no-match line (node status words it differently from the other node commands).</param>
    public static async Task<NodeListStub?> NodeAsync(ParseResult parsed, NomadApiClient client, string prefix, string errorContext, CancellationToken ct,
        bool verbose = true, Func<string, string>? notFound = null)
    {
        if (prefix.Length == 1)
        {
            parsed.Err().WriteLine("Identifier must contain at least two characters.");
            return null;
        }
        prefix = SanitizeUuidPrefix(prefix);
        List<NodeListStub> nodes;
        try
        {
            nodes = (await client.ListNodesAsync(prefix, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"{errorContext}: {e.Message}");
            return null;
        }
        switch (nodes.Count)
        {
            case 0:
                parsed.Err().WriteLine(notFound?.Invoke(prefix) ?? $"No node(s) with prefix or id {GoText.Quote(prefix)} found");
                return null;
            case 1:
                return nodes[0];
            default:
                parsed.Err().WriteLine($"Prefix matched multiple nodes\n\n{NodeListFormatter.Candidates(nodes, verbose)}");
                return null;
        }
    }

    /// <summary>The local client's node ID from /v1/agent/self (for -self); null after saying why.</summary>
    public static async Task<string?> LocalNodeIdAsync(ParseResult parsed, NomadApiClient client, CancellationToken ct)
    {
        AgentSelf self;
        try
        {
            self = (await client.GetAgentSelfAsync(ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying agent info: {e.Message}");
            return null;
        }
        var nodeId = self.Stats is not null && self.Stats.ContainsKey("client") ? self.Stat("client", "node_id") : null;
        if (string.IsNullOrEmpty(nodeId))
        {
            parsed.Err().WriteLine("Error determining local node ID: Nomad not running in client mode");
            return null;
        }
        return nodeId;
    }

    /// <summary>
    /// Nomad's sanitizeUUIDPrefix: the servers match IDs by whole hex bytes, so a prefix with an odd number of
    /// hex digits loses its last character.
    /// </summary>
    public static string SanitizeUuidPrefix(string prefix)
    {
        var hexDigits = prefix.Length - prefix.Count(c => c == '-');
        return hexDigits % 2 == 0 ? prefix : prefix[..^1];
    }
}
