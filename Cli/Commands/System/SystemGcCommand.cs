using System.CommandLine;
using Nomad.Cli.Api;

// Not "Commands.System": that namespace would hide the System namespace from every sibling command.
namespace Nomad.Cli.Commands.SystemOps;

/// <summary>`nomad system gc`: asks the servers to garbage-collect dead jobs, evaluations, allocations and nodes now.</summary>
public sealed class SystemGcCommand : Command
{
    private readonly ApiConnectionOptions _api = new();

    public SystemGcCommand(string name) : base(name, "Run the system garbage collection process")
    {
        _api.AddTo(this);
        PositionalArguments.AddTo(this, "none", "This command takes no arguments.", 0, 0, "This command takes no arguments");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        try
        {
            await client.SystemGcAsync(ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error running system garbage-collection: {e.Message}");
            return 1;
        }
        return 0;
    }
}
