using System.CommandLine;
using Nomad.Agent.Server.Dispatch;
using Nomad.Cli.Api;
using Nomad.Cli.Commands.Eval;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job dispatch [-meta k=v ...] [-idempotency-token T] [-id-prefix-template X] [-detach] [-verbose] &lt;job&gt; [input]`: creates an
/// instance of a parameterized job, with a payload read from a file or, for "-", standard input; prints the dispatched
/// job's ID and its evaluation, then monitors the evaluation unless -detach. Exit codes as `job run`.
/// </summary>
public sealed class JobDispatchCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<string[]> _meta = NomadOption.Repeated("meta", "A key=value merged into the job's meta; may be given many times.");
    private readonly Option<bool> _detach = NomadOption.Flag("detach", "Return immediately instead of monitoring the evaluation.");
    private readonly Option<string> _idempotencyToken = NomadOption.Value<string>("idempotency-token",
        "Dispatch at most one instance with this token: while one exists, it is the answer.");
    private readonly Option<string> _idPrefixTemplate = NomadOption.Value<string>("id-prefix-template", "A prefix template for the dispatched job's ID.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information (full IDs).");
    private readonly Argument<string[]> _args;

    public JobDispatchCommand(string name) : base(name, "Dispatch an instance of a parameterized job")
    {
        _api.AddTo(this);
        Add(_meta);
        Add(_detach);
        Add(_idempotencyToken);
        Add(_idPrefixTemplate);
        Add(_verbose);
        _args = PositionalArguments.AddTo(this, "args", "The parameterized job, then optionally the payload's file (- for standard input).", 1, 2,
            "This command takes one or two argument: <parameterized job> [input source]");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var args = parsed.GetValue(_args)!;
        byte[]? payload = null;
        if (args.Length == 2)
        {
            try
            {
                if (args[1] == "-")
                {
                    await using var stdin = Console.OpenStandardInput();
                    using var buffer = new MemoryStream();
                    await stdin.CopyToAsync(buffer, ct);
                    payload = buffer.ToArray();
                }
                else payload = await File.ReadAllBytesAsync(args[1], ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                parsed.Err().WriteLine($"Error reading input data: {e.Message}");
                return 1;
            }
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in parsed.GetValue(_meta) ?? [])
        {
            var eq = m.IndexOf('=');
            if (eq < 0)
            {
                parsed.Err().WriteLine($"Error parsing meta value: {m}");
                return 1;
            }
            meta[m[..eq]] = m[(eq + 1)..];
        }

        using var client = _api.CreateClient(parsed);
        var stub = await Lookups.JobAsync(parsed, client, args[0].Trim(), "Error querying job", ct, j => j.ParameterizedJob);
        if (stub is null) return 1;

        JobDispatchResponse response;
        try
        {
            response = (await client.DispatchJobAsync(stub.ID, meta, payload, parsed.GetValue(_idPrefixTemplate) ?? "",
                parsed.GetValue(_idempotencyToken) ?? "", ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Failed to dispatch job: {e.Message}");
            return 1;
        }

        var verbose = parsed.GetValue(_verbose);
        // No evaluation: the job is also periodic, or the token named an instance dispatched before.
        var basic = new List<(string, string)> { ("Dispatched Job ID", response.DispatchedJobID) };
        if (response.EvalID.Length > 0) basic.Add(("Evaluation ID", Ids.Display(response.EvalID, verbose)));
        parsed.Out().WriteLine(Columns.KeyValues(basic));
        if (parsed.GetValue(_detach) || response.EvalID.Length == 0) return 0;

        parsed.Out().WriteLine();
        return await new EvalMonitor(client, parsed.Out(), parsed.Err(), verbose).MonitorAsync(response.EvalID, ct);
    }
}
