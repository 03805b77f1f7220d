using System.Web;

namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// Where an artifact comes from and how to treat it, read as go-getter reads a source once Nomad has put the
/// artifact's options into its query: an <c>http(s)://</c> URL, or a local file (<c>file://</c> or a plain path,
/// relative ones to the task dir); the magic query parameters <c>archive</c> (an archive type, or false to keep
/// the file as it is) and <c>checksum</c> are taken out, the rest of an HTTP query is sent.
/// </summary>
public sealed record ArtifactSource
{
    /// <summary>The URL to GET, for http(s) sources.</summary>
    public Uri? Url { get; init; }

    /// <summary>The host path, for local sources.</summary>
    public string? LocalPath { get; init; }

    /// <summary>The archive type (a key of <see cref="ArchiveExtractor.Types"/>), or null to keep the file as it is.</summary>
    public string? Archive { get; init; }

    public ArtifactChecksum? Checksum { get; init; }

    /// <summary>The source's file name (the last element of its path): the downloaded file's name in mode any.</summary>
    public string FileName { get; init; } = "";

    /// <param name="source">the artifact's source, interpolated</param>
    /// <param name="options">the artifact's options, interpolated; they override the same query parameters</param>
    /// <param name="taskDir">what relative paths are relative to</param>
    /// <exception cref="ArtifactException">a source this client cannot fetch, or a bad archive or checksum parameter</exception>
    public static ArtifactSource Parse(string source, IReadOnlyDictionary<string, string> options, string taskDir)
    {
        string rest = source.Trim();
        int forced = rest.IndexOf("::", StringComparison.Ordinal);
        int scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (forced > 0 && (scheme < 0 || forced < scheme))
        {
            // go-getter's forced getter: "http::https://...", "git::...".
            string getter = rest[..forced];
            if (getter is not ("http" or "https" or "file")) throw Unsupported(getter);
            rest = rest[(forced + 2)..];
            scheme = rest.IndexOf("://", StringComparison.Ordinal);
        }
        if (scheme > 0)
        {
            string name = rest[..scheme].ToLowerInvariant();
            if (name is "http" or "https") return Http(rest, options);
            if (name != "file") throw Unsupported(name);
            rest = rest[(scheme + 3)..];
        }
        else if (rest.StartsWith("git@", StringComparison.Ordinal)) throw Unsupported("git");
        return Local(rest, options, taskDir);
    }

    private static ArtifactSource Http(string source, IReadOnlyDictionary<string, string> options)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArtifactException($"failed to parse source URL \"{source}\"");
        var query = HttpUtility.ParseQueryString(uri.Query);
        foreach (var (k, v) in options) query[k] = v;
        var (archive, checksum) = TakeMagic(query, uri.AbsolutePath);
        var builder = new UriBuilder(uri) { Query = query.Count == 0 ? "" : query.ToString() };
        return new ArtifactSource
        {
            Url = builder.Uri,
            Archive = archive,
            Checksum = checksum,
            FileName = LastElement(Uri.UnescapeDataString(uri.AbsolutePath)),
        };
    }

    private static ArtifactSource Local(string source, IReadOnlyDictionary<string, string> options, string taskDir)
    {
        int q = source.IndexOf('?');
        string path = q < 0 ? source : source[..q];
        var query = HttpUtility.ParseQueryString(q < 0 ? "" : source[(q + 1)..]);
        foreach (var (k, v) in options) query[k] = v;
        path = Uri.UnescapeDataString(path);
        if (path.Length == 0) throw new ArtifactException("source must be specified");
        var (archive, checksum) = TakeMagic(query, path);
        return new ArtifactSource
        {
            LocalPath = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(taskDir, path)),
            Archive = archive,
            Checksum = checksum,
            FileName = LastElement(path),
        };
    }

    /// <summary>Takes <c>archive</c> and <c>checksum</c> out of the query; without <c>archive</c>, the path's longest archive extension decides.</summary>
    private static (string? Archive, ArtifactChecksum? Checksum) TakeMagic(System.Collections.Specialized.NameValueCollection query, string path)
    {
        string? archive = query["archive"];
        string? checksum = query["checksum"];
        query.Remove("archive");
        query.Remove("checksum");
        if (archive is not null)
        {
            if (bool.TryParse(archive, out bool on) || archive is "0" or "1")
                archive = on || archive == "1" ? ArchiveExtractor.TypeOf(path) : null;
            else if (!ArchiveExtractor.Types.Contains(archive))
                throw new ArtifactException($"unsupported archive type \"{archive}\" (want one of {string.Join(", ", ArchiveExtractor.Types)}, or false)");
        }
        else archive = ArchiveExtractor.TypeOf(path);
        return (archive, checksum is null ? null : ArtifactChecksum.Parse(checksum));
    }

    private static string LastElement(string path)
    {
        string trimmed = path.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    private static ArtifactException Unsupported(string kind) =>
        new($"unsupported artifact source \"{kind}\": this client fetches http://, https:// and local files only");
}
