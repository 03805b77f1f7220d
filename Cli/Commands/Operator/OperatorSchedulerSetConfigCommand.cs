using System.CommandLine;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Commands.Operator;

/// <summary>
/// `nomad operator scheduler set-config [-flags]`: reads the current configuration, changes only what the flags name,
/// and writes it back with a check-and-set on the index it read (or on -check-index), as Nomad's command does.
/// </summary>
public sealed class OperatorSchedulerSetConfigCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<string> _checkIndex = NomadOption.Value<string>("check-index", "Update only if the configuration's modify index is still this one.");
    private readonly Option<string> _algorithm = NomadOption.Value<string>("scheduler-algorithm", "Whether the scheduler binpacks or spreads allocations (\"binpack\" or \"spread\").");
    private readonly Option<bool> _memoryOversubscription = NomadOption.Flag("memory-oversubscription", "Let tasks exceed their reserved memory (memory_max).");
    private readonly Option<bool> _rejectJobRegistration = NomadOption.Flag("reject-job-registration", "Refuse job registration, dispatch and scaling.");
    private readonly Option<bool> _pauseEvalBroker = NomadOption.Flag("pause-eval-broker", "Pause the leader's evaluation broker.");
    private readonly Option<bool> _preemptBatch = NomadOption.Flag("preempt-batch-scheduler", "Whether batch jobs may preempt lower-priority allocations.");
    private readonly Option<bool> _preemptService = NomadOption.Flag("preempt-service-scheduler", "Whether service jobs may preempt lower-priority allocations.");
    private readonly Option<bool> _preemptSysBatch = NomadOption.Flag("preempt-sysbatch-scheduler", "Whether sysbatch jobs may preempt lower-priority allocations.");
    private readonly Option<bool> _preemptSystem = NomadOption.Flag("preempt-system-scheduler", "Whether system jobs may preempt lower-priority allocations.");

    public OperatorSchedulerSetConfigCommand() : base("set-config", "Modify the current scheduler configuration")
    {
        _api.AddTo(this);
        Add(_checkIndex);
        Add(_algorithm);
        Add(_memoryOversubscription);
        Add(_rejectJobRegistration);
        Add(_pauseEvalBroker);
        Add(_preemptBatch);
        Add(_preemptService);
        Add(_preemptSysBatch);
        Add(_preemptSystem);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        ulong checkIndex = 0;
        var checkText = parsed.GetValue(_checkIndex);
        if (!string.IsNullOrEmpty(checkText) && !ulong.TryParse(checkText, out checkIndex))
        {
            parsed.Err().WriteLine($"Error parsing check-index value \"{checkText}\": strconv.ParseUint: parsing \"{checkText}\": invalid syntax");
            return 1;
        }
        using var client = _api.CreateClient(parsed);
        SchedulerConfiguration current;
        try
        {
            current = (await client.GetSchedulerConfigAsync(ct)).Value.SchedulerConfig;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying for scheduler configuration: {e.Message}");
            return 1;
        }
        if (checkIndex > 0 && current.ModifyIndex != checkIndex)
        {
            parsed.Err().WriteLine($"Error performing check index set: check-index {checkIndex} does not match does not match current state value {current.ModifyIndex}");
            return 1;
        }
        bool Merge(Option<bool> flag, bool now) => parsed.IsGiven(flag) ? parsed.GetValue(flag) : now;
        var p = current.PreemptionConfig;
        var algorithm = parsed.GetValue(_algorithm);
        var updated = current with
        {
            SchedulerAlgorithm = string.IsNullOrEmpty(algorithm) ? current.SchedulerAlgorithm : algorithm,
            MemoryOversubscriptionEnabled = Merge(_memoryOversubscription, current.MemoryOversubscriptionEnabled),
            RejectJobRegistration = Merge(_rejectJobRegistration, current.RejectJobRegistration),
            PauseEvalBroker = Merge(_pauseEvalBroker, current.PauseEvalBroker),
            PreemptionConfig = p with
            {
                BatchSchedulerEnabled = Merge(_preemptBatch, p.BatchSchedulerEnabled),
                ServiceSchedulerEnabled = Merge(_preemptService, p.ServiceSchedulerEnabled),
                SysBatchSchedulerEnabled = Merge(_preemptSysBatch, p.SysBatchSchedulerEnabled),
                SystemSchedulerEnabled = Merge(_preemptSystem, p.SystemSchedulerEnabled),
            },
        };
        SchedulerSetConfigResponse result;
        try
        {
            result = await client.CasSchedulerConfigAsync(updated, checkIndex > 0 ? checkIndex : current.ModifyIndex, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error setting scheduler configuration: {e.Message}");
            return 1;
        }
        if (result.Updated)
        {
            parsed.Out().WriteLine("Scheduler configuration updated!");
            return 0;
        }
        parsed.Out().WriteLine("Scheduler configuration could not be atomically updated, please try again");
        return 1;
    }
}
