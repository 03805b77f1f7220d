namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// The functions an evaluation may call, by name. <see cref="ForJobFile"/> is the set Nomad's jobspec2 offers:
/// filesystem functions read relative to <paramref name="baseDirectory"/>, and fail when
/// <paramref name="allowFileSystem"/> is false (the HTTP API parses with them disabled).
/// </summary>
public sealed class FunctionTable(IReadOnlyDictionary<string, HclFunction> functions)
{
    public bool TryGet(string name, out HclFunction function) => functions.TryGetValue(name, out function!);

    public IEnumerable<string> Names => functions.Keys;

    public static FunctionTable ForJobFile(string baseDirectory, bool allowFileSystem) =>
        throw new NotImplementedException("the standard library is being built (issue #14, branch j14-fn)");
}
