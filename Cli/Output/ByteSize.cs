using System.Globalization;

namespace Nomad.Cli.Output;

/// <summary>Byte counts as Nomad prints them (go-humanize's IBytes): "0 B", "185 MiB", "24 GiB", "1.5 KiB".</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

    public const long BytesPerMegabyte = 1024 * 1024;

    public static string Iec(ulong bytes)
    {
        if (bytes < 10) return $"{bytes} B";

        var exponent = Math.Floor(Math.Log(bytes) / Math.Log(1024));
        var unit = Units[(int)exponent];
        var value = Math.Floor(bytes / Math.Pow(1024, exponent) * 10 + 0.5) / 10;
        // Go's %.0f / %.1f round exact halves to even.
        var text = value < 10
            ? Math.Round(value, 1, MidpointRounding.ToEven).ToString("F1", CultureInfo.InvariantCulture)
            : Math.Round(value, 0, MidpointRounding.ToEven).ToString("F0", CultureInfo.InvariantCulture);
        return $"{text} {unit}";
    }

    public static string Iec(long bytes) => Iec(bytes < 0 ? 0UL : (ulong)bytes);

    /// <summary>A size given in MB (as node resources are), printed as bytes.</summary>
    public static string FromMegabytes(long megabytes) => Iec(megabytes * BytesPerMegabyte);
}
