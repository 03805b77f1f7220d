using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Eval;

/// <summary>
/// Nomad's evaluation monitor (job run, job stop, eval status -monitor): follows an evaluation with blocking queries
/// until it is complete, failed or canceled, printing its allocations as they appear, then follows its NextEval.
/// Exit code 0, 2 when placements failed, 1 when the evaluation could not be read.
/// </summary>
public sealed class EvalMonitor(NomadApiClient client, TextWriter stdout, TextWriter stderr, bool verbose)
{
    /// <summary>How long one blocking query may wait before the monitor asks again.</summary>
    public static readonly TimeSpan BlockingWait = TimeSpan.FromSeconds(5);

    public async Task<int> MonitorAsync(string evalId, CancellationToken ct)
    {
        stdout.WriteLine($"==> Monitoring evaluation {GoText.Quote(Ids.Display(evalId, verbose))}");
        var state = EvalMonitorState.Empty;
        ulong index = 0;
        while (true)
        {
            ApiResponse<Evaluation> eval;
            List<AllocListStub> allocs;
            try
            {
                eval = await client.GetEvaluationAsync(evalId, index, BlockingWait, ct);
            }
            catch (NomadApiException e) when (e.StatusCode == 404)
            {
                stderr.WriteLine($"No evaluation with id {GoText.Quote(evalId)} found");
                return 1;
            }
            catch (NomadApiException e)
            {
                stderr.WriteLine($"Error reading evaluation: {e.Message}");
                return 1;
            }
            try
            {
                allocs = (await client.GetEvaluationAllocationsAsync(evalId, ct)).Value;
            }
            catch (NomadApiException e)
            {
                stderr.WriteLine($"Error reading allocations: {e.Message}");
                return 1;
            }

            var update = EvalMonitorState.From(eval.Value, allocs);
            foreach (var line in EvalMonitorState.Changes(state, update, verbose)) stdout.WriteLine("    " + line);
            state = update;

            if (!EvalMonitorState.IsTerminal(eval.Value.Status))
            {
                // A server that does not block answers at once with the same index: do not spin on it.
                if (eval.Index <= index || eval.Index == 0) await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
                index = Math.Max(index, eval.Index);
                continue;
            }

            foreach (var line in EvalMonitorState.Finished(eval.Value, verbose)) stdout.WriteLine(line);
            var failed = eval.Value.FailedTGAllocs is { Count: > 0 };
            if (eval.Value.NextEval.Length > 0)
            {
                var next = await new EvalMonitor(client, stdout, stderr, verbose).MonitorAsync(eval.Value.NextEval, ct);
                return failed ? 2 : next;
            }
            return failed ? 2 : 0;
        }
    }
}
