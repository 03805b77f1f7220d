using System.CommandLine;
using Nomad.Cli.Api;

namespace Nomad.Cli.Commands;

/// <summary>
/// The options every API command shares: where the agent is (-address, else NOMAD_ADDR, else http://127.0.0.1:4646)
/// and which region to address (-region, else NOMAD_REGION).
/// </summary>
public sealed class ApiConnectionOptions
{
    public const string AddressVariable = "NOMAD_ADDR";
    public const string RegionVariable = "NOMAD_REGION";

    public Option<string> Address { get; } = NomadOption.Value<string>("address",
        $"The address of the Nomad agent. Overrides the {AddressVariable} environment variable. Default: {NomadApiClient.DefaultAddress}");

    public Option<string> Region { get; } = NomadOption.Value<string>("region",
        $"The region of the servers to forward commands to. Overrides the {RegionVariable} environment variable.");

    /// <summary>Accepted for compatibility: this CLI never colours its output.</summary>
    public Option<bool> NoColor { get; } = NomadOption.Flag("no-color", "Disables colored command output (output is never colored).");

    public void AddTo(Command command)
    {
        command.Add(Address);
        command.Add(Region);
        command.Add(NoColor);
    }

    public string ResolveAddress(ParseResult parsed) =>
        FirstNonEmpty(parsed.GetValue(Address), Environment.GetEnvironmentVariable(AddressVariable)) ?? NomadApiClient.DefaultAddress;

    public string? ResolveRegion(ParseResult parsed) =>
        FirstNonEmpty(parsed.GetValue(Region), Environment.GetEnvironmentVariable(RegionVariable));

    public NomadApiClient CreateClient(ParseResult parsed) => new(ResolveAddress(parsed), ResolveRegion(parsed));

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
