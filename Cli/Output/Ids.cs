namespace Nomad.Cli.Output;

/// <summary>Identifier display: Nomad shows the first 8 characters of a UUID unless asked for the full one.</summary>
public static class Ids
{
    public const int ShortLength = 8;

    public static string Short(string id) => Limit(id, ShortLength);

    /// <summary>Full or short, as a -verbose flag decides.</summary>
    public static string Display(string id, bool full) => full ? id : Short(id);

    public static string Limit(string s, int length) => s.Length <= length ? s : s[..length];
}
