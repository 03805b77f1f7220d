using System.Text;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>base64encode/base64decode, urlencode, csvdecode, jsonencode/jsondecode, yamlencode/yamldecode.</summary>
internal static class EncodingFunctions
{
    private static readonly HclType S = HclType.String;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static IEnumerable<HclFunction> All() =>
    [
        Define("base64encode", [P("str", S)], a => Value.Of(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a[0]))))),
        Define("base64decode", [P("str", S)], Base64Decode),
        Define("urlencode", [P("str", S)], a => Value.Of(QueryEscape(Str(a[0])))),
        Define("csvdecode", [P("str", S)], a => CsvDecoder.Decode(Str(a[0]))),
        Define("jsonencode", [P("val", HclType.Dynamic, allowNull: true)], a => Value.Of(CtyJson.Encode(a[0]))),
        Define("jsondecode", [P("str", S)], a => CtyJson.Decode(Str(a[0]))),
        Define("yamlencode", [P("value", HclType.Dynamic, allowNull: true)], a => Value.Of(CtyYaml.Encode(a[0]))),
        Define("yamldecode", [P("src", S)], a => CtyYaml.Decode(Str(a[0]))),
    ];

    /// <summary>Go's StdEncoding: padded, no whitespace but line breaks; the result must be UTF-8.</summary>
    private static Value Base64Decode(IReadOnlyList<Value> a)
    {
        var s = Str(a[0]);
        byte[] bytes;
        try
        {
            var compact = s.Replace("\r", "").Replace("\n", "");
            if (compact.Length % 4 != 0 || compact.Any(char.IsWhiteSpace)) throw new FormatException();
            bytes = Convert.FromBase64String(compact);
        }
        catch (FormatException)
        {
            throw new FunctionError($"failed to decode base64 data '{s}'");
        }
        try { return Value.Of(StrictUtf8.GetString(bytes)); }
        catch (DecoderFallbackException)
        {
            throw new FunctionError("the result of decoding the the provided string is not valid UTF-8");
        }
    }

    /// <summary>Go's url.QueryEscape: spaces become '+', all but letters, digits and - _ . ~ are %XX.</summary>
    public static string QueryEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
