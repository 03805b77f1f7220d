namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// The functions an evaluation may call, by name. <see cref="ForJobFile"/> is the set Nomad's jobspec2 offers:
/// filesystem functions read relative to <paramref name="baseDirectory"/>, and fail when
/// <paramref name="allowFileSystem"/> is false (the HTTP API parses with them disabled).
/// <c>try</c> and <c>can</c> are in the table (<see cref="EvaluatorFunction"/>) but evaluated by the evaluator,
/// which needs their arguments unevaluated; <c>convert</c> (<see cref="ConvertFunction"/>) takes a type
/// expression as its second argument, which the evaluator reads as a type.
/// </summary>
public sealed class FunctionTable(IReadOnlyDictionary<string, HclFunction> functions)
{
    public bool TryGet(string name, out HclFunction function) => functions.TryGetValue(name, out function!);

    public IEnumerable<string> Names => functions.Keys;

    public static FunctionTable ForJobFile(string baseDirectory, bool allowFileSystem) =>
        new(Stateless.Value.Concat(FileSystemFunctions.All(baseDirectory, allowFileSystem))
            .ToDictionary(f => f.Name, StringComparer.Ordinal));

    /// <summary>The functions that depend on nothing but their arguments, built once.</summary>
    private static readonly Lazy<HclFunction[]> Stateless = new(() =>
    [
        ..StringFunctions.All(),
        ..FormatFunctions.All(),
        ..CollectionFunctions.All(),
        ..SetFunctions.All(),
        ..NumericFunctions.All(),
        ..EncodingFunctions.All(),
        ..DateTimeFunctions.All(),
        ..CryptoFunctions.All(),
        ..CidrFunctions.All(),
        new ConvertFunction(),
        new EvaluatorFunction("try"),
        new EvaluatorFunction("can"),
    ]);
}
