using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Nomad.Agent.Structs;

/// <summary>
/// The JSON of a Go <c>time.Time</c> as Nomad's HTTP API writes it: an RFC 3339 string in UTC with the
/// nanoseconds Go's RFC3339Nano keeps (trailing zeros dropped), and <c>null</c> for the zero time. Go clients
/// cannot decode a number into a <c>time.Time</c>, so no field Nomad holds as one may ever be written as 0.
/// Reading accepts the string (any offset, or none for UTC; up to nanoseconds), Go's zero time, null, and Unix
/// nanoseconds as a number (what older state and our own earlier versions wrote).
/// </summary>
public static partial class GoTimeJson
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>RFC3339Nano of Unix nanoseconds, in UTC.</summary>
    public static string Format(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, NanosPerSecond, out var fraction);
        if (fraction < 0) { seconds--; fraction += NanosPerSecond; }
        return Format(DateTime.UnixEpoch.AddSeconds(seconds), fraction);
    }

    /// <summary>RFC3339Nano of <paramref name="t"/> (an unspecified kind is taken as UTC).</summary>
    public static string Format(DateTime t)
    {
        var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : t;
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        return Format(new DateTime(utc.Ticks - fraction, DateTimeKind.Utc), fraction * 100);
    }

    private static string Format(DateTime wholeSeconds, long fractionNanos)
    {
        var text = wholeSeconds.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (fractionNanos > 0) text += "." + fractionNanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "Z";
    }

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$")]
    private static partial Regex Rfc3339();

    /// <summary>Parses an RFC 3339 time into whole UTC seconds and the nanoseconds past them; false if it is not one.</summary>
    private static bool TryParse(string text, out DateTime utcSeconds, out long fractionNanos)
    {
        utcSeconds = default;
        fractionNanos = 0;
        var m = Rfc3339().Match(text);
        if (!m.Success) return false;
        int Part(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        try
        {
            var local = new DateTime(Part(1), Part(2), Part(3), Part(4), Part(5), Part(6), DateTimeKind.Utc);
            // No zone at all is what .NET wrote for a default DateTime: taken as UTC.
            var offset = m.Groups[9].Success ? new TimeSpan(Part(10), Part(11), 0) : TimeSpan.Zero;
            if (m.Groups[9].Value == "-") offset = -offset;
            utcSeconds = local - offset;
        }
        catch (ArgumentOutOfRangeException) { return false; }
        if (m.Groups[7].Success) fractionNanos = long.Parse(m.Groups[7].Value.PadRight(9, '0'), CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Whether <paramref name="t"/> is Go's zero time (0001-01-01T00:00:00Z), which stands for "unset".</summary>
    private static bool IsGoZero(DateTime utcSeconds, long fractionNanos) => utcSeconds.Ticks == 0 && fractionNanos == 0;

    private static JsonException Invalid(string text) => new($"invalid time \"{text}\": want RFC 3339 (e.g. 2006-01-02T15:04:05Z)");

    /// <summary>Reads a time as Unix nanoseconds; 0 for null or Go's zero time.</summary>
    public static long ReadUnixNanos(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return 0;
            case JsonTokenType.Number: return reader.GetInt64();
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (!TryParse(text, out var seconds, out var fraction)) throw Invalid(text);
                if (IsGoZero(seconds, fraction)) return 0;
                var sinceEpoch = (seconds - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond;
                if (sinceEpoch is > long.MaxValue / NanosPerSecond - 1 or < long.MinValue / NanosPerSecond + 1)
                    throw new JsonException($"time \"{text}\" is out of range");
                return sinceEpoch * NanosPerSecond + fraction;
            default: throw new JsonException($"expected a time string, got {reader.TokenType}");
        }
    }

    /// <summary>Reads a time as a UTC DateTime (100 ns precision); null for null or Go's zero time.</summary>
    public static DateTime? ReadDateTime(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number:
                var nanos = reader.GetInt64();
                return nanos == 0 ? null : UnixNanos.ToDateTime(nanos);
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (!TryParse(text, out var seconds, out var fraction)) throw Invalid(text);
                return IsGoZero(seconds, fraction) ? null : seconds.AddTicks(fraction / 100);
            default: throw new JsonException($"expected a time string, got {reader.TokenType}");
        }
    }
}

/// <summary>A <c>long</c> of Unix nanoseconds that Nomad holds as a Go <c>time.Time</c> (0 means unset).</summary>
public sealed class GoTimeNanosConverter : JsonConverter<long>
{
    public override bool HandleNull => true;

    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        GoTimeJson.ReadUnixNanos(ref reader);

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        if (value == 0) writer.WriteNullValue();
        else writer.WriteStringValue(GoTimeJson.Format(value));
    }
}

/// <summary>A DateTime that Nomad holds as a Go <c>time.Time</c> (default means unset).</summary>
public sealed class GoTimeConverter : JsonConverter<DateTime>
{
    public override bool HandleNull => true;

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        GoTimeJson.ReadDateTime(ref reader) ?? default;

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        if (value == default) writer.WriteNullValue();
        else writer.WriteStringValue(GoTimeJson.Format(value));
    }
}

/// <summary>A DateTime? that Nomad holds as a Go <c>time.Time</c> (null means unset).</summary>
public sealed class GoNullableTimeConverter : JsonConverter<DateTime?>
{
    public override bool HandleNull => true;

    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        GoTimeJson.ReadDateTime(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        if (value is not { } t || t == default) writer.WriteNullValue();
        else writer.WriteStringValue(GoTimeJson.Format(t));
    }
}
