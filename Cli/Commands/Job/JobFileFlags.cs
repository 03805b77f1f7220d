using System.Collections;
using System.CommandLine;
using Nomad.Agent.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// The flags Nomad's `job run`, `job plan` and `job validate` share for reading a job file: -var key=value and
/// -var-file (HCL2 variable values), -hcl1 (the HCL1 parser) and -hcl2-strict (refuse values for undeclared variables).
/// </summary>
public sealed class JobFileFlags
{
    private readonly Option<string[]> _var = NomadOption.Repeated("var", "A variable for the job file, as key=value; may be given many times.");
    private readonly Option<string[]> _varFile = NomadOption.Repeated("var-file", "A file of variable values (HCL, or JSON by extension); may be given many times.");
    private readonly Option<bool> _hcl1 = NomadOption.Flag("hcl1", "Parse the job file with the HCL1 parser.");
    private readonly Option<bool> _strict = NomadOption.Flag("hcl2-strict", "Refuse -var and -var-file values for variables the file does not declare (default true).");

    public void AddTo(Command command)
    {
        _strict.DefaultValueFactory = _ => true;
        command.Add(_var);
        command.Add(_varFile);
        command.Add(_hcl1);
        command.Add(_strict);
    }

    /// <summary>The options for reading a job file from the CLI: filesystem functions allowed, this process's environment.</summary>
    /// <exception cref="JobspecException">a -var that is not key=value.</exception>
    public JobFileOptions Resolve(ParseResult parsed)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var given in parsed.GetValue(_var) ?? [])
        {
            int eq = given.IndexOf('=');
            if (eq <= 0)
                throw new JobspecException($"Invalid -var option: the given -var option \"{given}\" is not correctly specified. " +
                    "Must be a variable name and value separated by an equals sign, like -var=\"key=value\".");
            vars[given[..eq]] = given[(eq + 1)..];
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            environment[(string)e.Key] = (string?)e.Value ?? "";
        return new JobFileOptions
        {
            Hcl1 = parsed.GetValue(_hcl1),
            Strict = parsed.GetValue(_strict),
            Vars = vars,
            VarFiles = parsed.GetValue(_varFile) ?? [],
            Environment = environment,
            AllowFileSystem = true,
        };
    }
}
