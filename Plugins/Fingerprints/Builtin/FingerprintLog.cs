using System.Globalization;
using System.Text;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// Writes Nomad-style (hclog) lines through <see cref="FingerprintRequest.Log"/>:
/// <c>message: key=value key2="value with spaces"</c>. The agent adds the time, level and subsystem.
/// </summary>
internal readonly struct FingerprintLog(Action<string, string> sink)
{
    public FingerprintLog(FingerprintRequest request) : this(request.Log) { }

    public void Trace(string message, params (string Key, object? Value)[] kvs) => Write("TRACE", message, kvs);
    public void Debug(string message, params (string Key, object? Value)[] kvs) => Write("DEBUG", message, kvs);
    public void Info(string message, params (string Key, object? Value)[] kvs) => Write("INFO", message, kvs);
    public void Warn(string message, params (string Key, object? Value)[] kvs) => Write("WARN", message, kvs);
    public void Error(string message, params (string Key, object? Value)[] kvs) => Write("ERROR", message, kvs);

    private void Write(string level, string message, (string Key, object? Value)[] kvs)
    {
        try { sink(level, Format(message, kvs)); }
        catch { /* a broken log sink must not fail a fingerprint */ }
    }

    /// <summary>hclog's shape: the message, then <c>: </c> and space-separated <c>k=v</c> pairs; values with spaces or quotes are quoted.</summary>
    public static string Format(string message, params (string Key, object? Value)[] kvs)
    {
        if (kvs.Length == 0) return message;
        var sb = new StringBuilder(message).Append(':');
        foreach (var (key, value) in kvs)
        {
            sb.Append(' ').Append(key).Append('=');
            var text = value switch
            {
                null => "<nil>",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? "",
            };
            sb.Append(NeedsQuoting(text) ? Quote(text) : text);
        }
        return sb.ToString();
    }

    private static bool NeedsQuoting(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s)
            if (char.IsWhiteSpace(c) || c == '"' || char.IsControl(c)) return true;
        return false;
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
