namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// What one artifact may unpack to: at most <paramref name="maxFiles"/> entries and <paramref name="maxBytes"/>
/// bytes written (the client's decompression_file_count_limit and decompression_size_limit; 0 is no limit). Bytes
/// are counted as they are written, never taken from an archive's headers.
/// </summary>
public sealed class ExtractionBudget(long maxBytes, int maxFiles)
{
    private long _bytes;
    private int _files;

    public static ExtractionBudget For(ArtifactOptions options) => new(options.DecompressionSizeLimit, options.DecompressionFileCountLimit);

    public void CountFile()
    {
        _files++;
        if (maxFiles > 0 && _files > maxFiles) throw new ArtifactException($"archive contains too many files: {_files} > {maxFiles}");
    }

    public void Copy(Stream input, Stream output)
    {
        var buffer = new byte[81920];
        int n;
        while ((n = input.Read(buffer)) > 0)
        {
            _bytes += n;
            if (maxBytes > 0 && _bytes > maxBytes) throw new ArtifactException($"archive larger than limit: {maxBytes} bytes");
            output.Write(buffer, 0, n);
        }
    }
}
