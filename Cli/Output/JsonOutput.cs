using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Nomad.Cli.Output;

/// <summary>
/// The -json output: the document the API returned, indented by four spaces as Nomad's json.MarshalIndent does.
/// Field order and number text are kept as received; &lt; &gt; &amp; are escaped as Go escapes them.
/// </summary>
public static class JsonOutput
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 4,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Pretty(JsonElement document)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            document.WriteTo(writer);
        }
        return GoEscapes(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>
    /// JSON text written readably (&lt; &gt; &amp; and the line separators as themselves) with those characters
    /// escaped as Go's encoder escapes them. They can only occur inside JSON strings, so replacing them everywhere is safe.
    /// </summary>
    public static string GoEscapes(string json)
    {
        return json
            .Replace("<", "\\u003c")
            .Replace(">", "\\u003e")
            .Replace("&", "\\u0026")
            .Replace("\u2028", "\\u2028")
            .Replace("\u2029", "\\u2029");
    }
}
