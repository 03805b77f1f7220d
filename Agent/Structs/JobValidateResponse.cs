namespace Nomad.Agent.Structs;

/// <summary>
/// The answer of /v1/validate/job (Nomad's JobValidateResponse): each problem in <see cref="ValidationErrors"/>, and
/// the same as one multi-error text in <see cref="Error"/> ("" when valid). <see cref="DriverConfigValidated"/> says
/// whether the drivers checked the tasks' config.
/// </summary>
public sealed record JobValidateResponse
{
    public JobValidateResponse(bool driverConfigValidated, IReadOnlyList<string> errors)
    {
        DriverConfigValidated = driverConfigValidated;
        ValidationErrors = errors.ToList();
        Error = errors.Count == 0 ? "" : $"{errors.Count} error(s) occurred:\n\n" + string.Join("\n", errors.Select(e => "* " + e));
    }

    public bool DriverConfigValidated { get; init; }
    public List<string> ValidationErrors { get; init; }
    public string Error { get; init; }
    public string Warnings { get; init; } = "";
}
