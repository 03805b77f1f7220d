namespace Nomad.Agent.Templates;

/// <summary>
/// A function a template may call: its arity as Go's signature has it (<see cref="FixedArgs"/> parameters, then
/// more when <see cref="Variadic"/>), and its body over evaluated arguments (nil and "no value" arrive as null).
/// A body reports failure with <see cref="TemplateFunctionException"/> or <see cref="TemplateArgumentException"/>.
/// </summary>
public sealed class TemplateFunction(string name, int fixedArgs, bool variadic, Func<object?[], object?> invoke)
{
    public string Name { get; } = name;
    public int FixedArgs { get; } = fixedArgs;
    public bool Variadic { get; } = variadic;
    public Func<object?[], object?> Invoke { get; } = invoke;
    public string GoSignature => "func";

    public static TemplateFunction Fixed(string name, int args, Func<object?[], object?> invoke) => new(name, args, false, invoke);
    public static TemplateFunction Varargs(string name, int fixedArgs, Func<object?[], object?> invoke) => new(name, fixedArgs, true, invoke);
}

/// <summary>Typed access to a function's arguments with Go's wording when a type does not fit.</summary>
public static class Args
{
    private static TemplateArgumentException Wrong(string expected, object? got) =>
        new($"wrong type for value; expected {expected}; got {GoValues.TypeName(got)}");

    public static string String(object?[] a, int i) => GoValues.Normalize(a[i]) switch
    {
        string s => s,
        var v => throw Wrong("string", v),
    };

    public static long Int(object?[] a, int i) => GoValues.Normalize(a[i]) switch
    {
        long l => l,
        var v => throw Wrong("int", v),
    };

    public static bool Bool(object?[] a, int i) => a[i] switch
    {
        bool b => b,
        var v => throw Wrong("bool", v),
    };

    /// <summary>A []string parameter: a list whose elements are all strings.</summary>
    public static List<string> Strings(object?[] a, int i)
    {
        if (a[i] is System.Collections.IList list)
        {
            var result = new List<string>(list.Count);
            foreach (var e in list)
            {
                if (e is not string s) throw Wrong("[]string", a[i]);
                result.Add(s);
            }
            return result;
        }
        if (a[i] is null or NoValue) return [];
        throw Wrong("[]string", a[i]);
    }
}
