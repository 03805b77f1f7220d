using System.Text.Json;
using Nomad.Contracts;
using Nomad.Drivers.Shared;

namespace Nomad.Drivers.RawExec;

/// <summary>
/// Nomad's raw_exec driver: runs a command as the agent's user, with no isolation, under a per-task
/// nomad-executor shim (see <see cref="ShimDriver"/>). Off unless the plugin config says <c>enabled = true</c>.
/// </summary>
public sealed class RawExecDriver(IDriverHost host) : ShimDriver(host)
{
    private RawExecPluginConfig _config = RawExecPluginConfig.Default;

    protected override string Name => "raw_exec";
    protected override string FSIsolation => "none";

    // Nomad's raw_exec puts tasks in a cgroup and so kills what they leave behind; no_cgroups lets it leak.
    protected override bool KillOrphans => !_config.NoCgroups;

    protected override List<string> ApplyConfig(JsonElement config)
    {
        var (parsed, errors) = RawExecPluginConfig.Parse(config);
        if (parsed is not null) _config = parsed;
        return errors;
    }

    protected override DriverFingerprint Fingerprint() =>
        _config.Enabled ? ShimFingerprint() : new(DriverHealth.Undetected, "raw_exec is disabled", new());

    protected override string? CannotStart() => _config.Enabled ? null : "raw_exec is disabled";
}
