using System.Collections;

namespace Nomad.Agent.Templates;

/// <summary>
/// Go's "no value" (an invalid reflect.Value): what a missing map key or nil data yields. It prints as
/// <c>&lt;no value&gt;</c>, is false, and reaches functions as nil.
/// </summary>
public sealed class NoValue
{
    public static readonly NoValue Instance = new();
    private NoValue() { }
    public override string ToString() => "<no value>";
}

/// <summary>
/// How template values behave as Go's: the value model is null, <see cref="NoValue"/>, bool, long (Go int),
/// double (float64), string, lists (IList), string-keyed maps (IDictionary), functions, and other objects
/// whose properties act as struct fields.
/// </summary>
public static class GoValues
{
    /// <summary>Brings .NET numbers to the two Go kinds the engine computes with: int as long, floats as double.</summary>
    public static object? Normalize(object? v) => v switch
    {
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        sbyte sb => (long)sb,
        uint u => (long)u,
        ushort us => (long)us,
        ulong ul => (long)ul,
        float f => (double)f,
        decimal m => (double)m,
        char c => (long)c,
        _ => v,
    };

    public static bool IsNil(object? v) => v is null || v is NoValue;

    /// <summary>Go's truth: false, 0, nil, and empty strings, lists and maps are false; everything else is true.</summary>
    public static bool IsTrue(object? v) => Normalize(v) switch
    {
        null or NoValue => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        ICollection c => c.Count > 0,
        _ => true,
    };

    /// <summary>The Go type name of a value, as fmt's %T and the template errors print it.</summary>
    public static string TypeName(object? v) => Normalize(v) switch
    {
        null or NoValue => "<nil>",
        bool => "bool",
        long => "int",
        double => "float64",
        string => "string",
        IList<string> => "[]string",
        IDictionary<string, string> => "map[string]string",
        IList => "[]interface {}",
        IDictionary => "map[string]interface {}",
        TemplateFunction f => f.GoSignature,
        Delegate => "func",
        var o => o.GetType().Name,
    };

    /// <summary>A map's keys in Go's order for printing and range: sorted (byte order for strings).</summary>
    public static List<object> SortedKeys(IDictionary map)
    {
        var keys = new List<object>();
        foreach (var k in map.Keys) keys.Add(k);
        keys.Sort((a, b) => (a, b) switch
        {
            (string x, string y) => string.CompareOrdinal(x, y),
            _ when Normalize(a) is long x && Normalize(b) is long y => x.CompareTo(y),
            _ => string.CompareOrdinal(a.ToString(), b.ToString()),
        });
        return keys;
    }
}
