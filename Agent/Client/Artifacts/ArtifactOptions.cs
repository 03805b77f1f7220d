using Nomad.Agent.Config;

namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// The client's <c>artifact</c> block, resolved (Nomad's client ArtifactConfig, with its defaults). A limit of 0
/// means none, as go-getter takes it.
/// </summary>
public sealed record ArtifactOptions
{
    /// <summary>http_read_timeout: how long one download may take in all.</summary>
    public TimeSpan HttpReadTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>http_max_size: the most bytes one download may bring.</summary>
    public long HttpMaxBytes { get; init; } = 100_000_000_000;

    /// <summary>decompression_file_count_limit: the most entries one archive may unpack.</summary>
    public int DecompressionFileCountLimit { get; init; } = 4096;

    /// <summary>decompression_size_limit: the most bytes one archive may unpack to.</summary>
    public long DecompressionSizeLimit { get; init; } = 100_000_000_000;

    /// <summary>
    /// disable_filesystem_isolation: lets <c>file://</c> and plain-path sources read anywhere on the host. Off by
    /// default, local sources are read only from inside the allocation's directory (where Nomad 1.x's landlock
    /// sandbox lets its getter read) and from <see cref="FilesystemIsolationExtraPaths"/>.
    /// </summary>
    public bool DisableFilesystemIsolation { get; init; }

    /// <summary>
    /// filesystem_isolation_extra_paths: more host paths local sources may be read from, in Nomad's
    /// <c>kind:mode:path</c> form (<c>f:r:/etc/app.conf</c>, <c>d:r:/srv/artifacts</c>); only entries whose mode
    /// includes <c>r</c> grant reading.
    /// </summary>
    public IReadOnlyList<string> FilesystemIsolationExtraPaths { get; init; } = [];

    /// <summary>The client's artifact block with Nomad's defaults for what it does not set.</summary>
    public static ArtifactOptions From(ArtifactConfig c)
    {
        var d = new ArtifactOptions();
        return new ArtifactOptions
        {
            HttpReadTimeout = c.HttpReadTimeout ?? d.HttpReadTimeout,
            HttpMaxBytes = c.HttpMaxBytes ?? d.HttpMaxBytes,
            DecompressionFileCountLimit = c.DecompressionFileCountLimit ?? d.DecompressionFileCountLimit,
            DecompressionSizeLimit = c.DecompressionSizeLimit ?? d.DecompressionSizeLimit,
            DisableFilesystemIsolation = c.DisableFilesystemIsolation ?? false,
            FilesystemIsolationExtraPaths = c.FilesystemIsolationExtraPaths ?? [],
        };
    }
}
