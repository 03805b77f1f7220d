using System.CommandLine;
using Nomad.Agent.Server.Periodic;
using Nomad.Cli.Api;
using Nomad.Cli.Commands.Eval;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job periodic force [-detach] [-verbose] &lt;job&gt;`: launches a periodic job's child now (even against
/// prohibit_overlap) and monitors its evaluation.
/// </summary>
public sealed class JobPeriodicForceCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _detach = NomadOption.Flag("detach", "Return immediately with the evaluation ID instead of monitoring it.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information (full IDs).");
    private readonly Argument<string[]> _job;

    public JobPeriodicForceCommand(string name) : base(name, "Force the launch of a periodic job")
    {
        _api.AddTo(this);
        Add(_detach);
        Add(_verbose);
        _job = PositionalArguments.AddTo(this, "job", "A periodic job's ID or ID prefix.", 1, 1, "This command takes one argument: <job id>");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var prefix = parsed.GetValue(_job)![0].Trim();
        using var client = _api.CreateClient(parsed);
        List<Nomad.Agent.Structs.JobListStub> periodic;
        try
        {
            periodic = (await client.ListJobsAsync(prefix, ct)).Value.Where(j => j.Periodic).ToList();
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error forcing periodic job: {e.Message}");
            return 1;
        }
        if (periodic.Count == 0)
        {
            parsed.Err().WriteLine($"No periodic job(s) with prefix or id {GoText.Quote(prefix)} found");
            return 1;
        }
        if (periodic.Count > 1 && periodic[0].ID != prefix)
        {
            parsed.Err().WriteLine($"Prefix matched multiple periodic jobs\n\n{JobStatusFormatter.List(periodic, TimeZoneInfo.Local)}");
            return 1;
        }
        var jobId = periodic[0].ID;

        PeriodicForceResponse response;
        try
        {
            response = (await client.ForcePeriodicJobAsync(jobId, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error forcing periodic job {GoText.Quote(jobId)}: {e.Message}");
            return 1;
        }
        if (parsed.GetValue(_detach))
        {
            parsed.Out().WriteLine("Force periodic successful");
            parsed.Out().WriteLine("Evaluation ID: " + response.EvalID);
            return 0;
        }
        return await new EvalMonitor(client, parsed.Out(), parsed.Err(), parsed.GetValue(_verbose)).MonitorAsync(response.EvalID, ct);
    }
}
