namespace Nomad.Agent.Jobspec;

/// <summary>
/// How to read a job file, as Nomad's jobspec2 ParseConfig: HCL1 instead of HCL2, the variable values given on
/// the command line (<c>-var k=v</c>), variable files (<c>-var-file</c>), the environment (for
/// <c>NOMAD_VAR_&lt;name&gt;</c>), and whether filesystem functions such as <c>file()</c> may read files (the CLI
/// allows them, relative to the job file; the HTTP API does not).
/// </summary>
public sealed record JobFileOptions
{
    public bool Hcl1 { get; init; }
    /// <summary>Values for variables the file does not declare are an error (Nomad's -hcl2-strict, on by default); otherwise ignored.</summary>
    public bool Strict { get; init; } = true;
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> VarFiles { get; init; } = [];
    /// <summary>Null: no environment variables (the API); the CLI passes its own.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
    public bool AllowFileSystem { get; init; }
}
