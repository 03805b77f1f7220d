using Nomad.Agent.Server;
using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Commands.Eval;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job stop [-purge] [-detach] [-yes] &lt;job&gt;` (also `nomad stop`): deregisters the job and monitors the
/// evaluation; a prefix match asks for confirmation unless -yes.
/// </summary>
public sealed class JobStopCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _detach = NomadOption.Flag("detach", "Return immediately with the evaluation ID instead of monitoring it.");
    private readonly Option<bool> _purge = NomadOption.Flag("purge", "Remove the job from the system at once instead of leaving it dead until garbage collection.");
    private readonly Option<bool> _yes = NomadOption.Flag("yes", "Do not ask for confirmation.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information (full IDs).");
    private readonly Option<bool> _global = NomadOption.Flag("global", "Accepted for compatibility (single region).");
    private readonly Argument<string[]> _job;

    public JobStopCommand(string name) : base(name, "Stop a running job")
    {
        _api.AddTo(this);
        Add(_detach);
        Add(_purge);
        Add(_yes);
        Add(_verbose);
        Add(_global);
        _job = PositionalArguments.AddTo(this, "job", "A job ID or ID prefix.", 1, 1, "This command takes one argument: <job>");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var jobId = parsed.GetValue(_job)![0];
        using var client = _api.CreateClient(parsed);
        var stub = await Lookups.JobAsync(parsed, client, jobId, "Error deregistering job", ct);
        if (stub is null) return 1;

        if (jobId != stub.ID && !parsed.GetValue(_yes))
        {
            var (confirmed, code) = Confirmation.Ask($"Are you sure you want to stop job {GoText.Quote(stub.ID)}? [y/N]",
                "Cancelling job stop", parsed.Out(), Console.In);
            if (!confirmed) return code;
        }

        JobDeregisterResponse response;
        try
        {
            response = (await client.DeregisterJobAsync(stub.ID, parsed.GetValue(_purge), ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error deregistering job: {e.Message}");
            return 1;
        }

        if (response.EvalID.Length == 0) return 0;
        if (parsed.GetValue(_detach))
        {
            parsed.Out().WriteLine(response.EvalID);
            return 0;
        }
        return await new EvalMonitor(client, parsed.Out(), parsed.Err(), parsed.GetValue(_verbose)).MonitorAsync(response.EvalID, ct);
    }
}
