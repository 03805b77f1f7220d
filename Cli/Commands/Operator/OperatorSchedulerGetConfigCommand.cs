using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Operator;

/// <summary>`nomad operator scheduler get-config [-json]`: the cluster's scheduler configuration, as Nomad prints it.</summary>
public sealed class OperatorSchedulerGetConfigCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the scheduler config in its JSON format.");

    public OperatorSchedulerGetConfigCommand() : base("get-config", "Display the current scheduler configuration")
    {
        _api.AddTo(this);
        Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        ApiResponse<SchedulerConfigResponse> resp;
        try
        {
            resp = await client.GetSchedulerConfigAsync(ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying scheduler configuration: {e.Message}");
            return 1;
        }
        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(resp.Json));
            return 0;
        }
        var c = resp.Value.SchedulerConfig;
        static string B(bool b) => b ? "true" : "false";
        parsed.Out().WriteLine(Columns.KeyValues(
        [
            ("Scheduler Algorithm", c.SchedulerAlgorithm),
            ("Memory Oversubscription", B(c.MemoryOversubscriptionEnabled)),
            ("Reject Job Registration", B(c.RejectJobRegistration)),
            ("Pause Eval Broker", B(c.PauseEvalBroker)),
            ("Preemption System Scheduler", B(c.PreemptionConfig.SystemSchedulerEnabled)),
            ("Preemption Service Scheduler", B(c.PreemptionConfig.ServiceSchedulerEnabled)),
            ("Preemption Batch Scheduler", B(c.PreemptionConfig.BatchSchedulerEnabled)),
            ("Preemption SysBatch Scheduler", B(c.PreemptionConfig.SysBatchSchedulerEnabled)),
            ("Modify Index", c.ModifyIndex.ToString()),
        ]));
        return 0;
    }
}
