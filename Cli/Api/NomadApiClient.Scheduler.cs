using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>The answer of GET /v1/operator/scheduler/configuration.</summary>
public sealed record SchedulerConfigResponse(SchedulerConfiguration SchedulerConfig, ulong Index);

/// <summary>The answer of a write to /v1/operator/scheduler/configuration.</summary>
public sealed record SchedulerSetConfigResponse(bool Updated, ulong Index);

public sealed partial class NomadApiClient
{
    private const string SchedulerConfigPath = "/v1/operator/scheduler/configuration";

    /// <summary>GET /v1/operator/scheduler/configuration.</summary>
    public Task<ApiResponse<SchedulerConfigResponse>> GetSchedulerConfigAsync(CancellationToken ct = default) =>
        GetAsync<SchedulerConfigResponse>(SchedulerConfigPath, [], ct);

    /// <summary>PUT /v1/operator/scheduler/configuration?cas=: applied only if the stored ModifyIndex is still <paramref name="cas"/>.</summary>
    public async Task<SchedulerSetConfigResponse> CasSchedulerConfigAsync(SchedulerConfiguration config, ulong cas, CancellationToken ct = default) =>
        (await WriteAsync<SchedulerSetConfigResponse>(HttpMethod.Put, SchedulerConfigPath, [new("cas", cas.ToString())], config, ct)).Value;
}
