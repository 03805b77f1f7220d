using System.Buffers;
using System.Text.Json;

namespace Nomad.Executor;

/// <summary>Writes the small JSON files the driver reads, atomically: a temp file beside the target, then rename(2).</summary>
internal static class StatusFile
{
    public static void Write(string path, Action<Utf8JsonWriter> body)
    {
        var buf = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buf))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, buf.WrittenSpan.ToArray());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>RFC 3339 with nanosecond-ish precision, UTC, as Nomad prints times.</summary>
    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
