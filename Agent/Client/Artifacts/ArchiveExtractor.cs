using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.BZip2;
using SharpCompress.Compressors.Xz;

namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// Unpacks an artifact archive by type (go-getter's decompressors: tar, tar.gz/tgz, tar.bz2/tbz2, tar.xz/txz, zip,
/// and the single-file gz, bz2, xz) into a fresh staging directory, with the framework's tar, gzip and zip
/// readers and SharpCompress's bzip2 and xz streams. Nothing is written outside that directory: an entry
/// whose name is absolute or climbs with <c>..</c> fails the whole archive, links are made last (so no file is
/// ever written through one), and every symbolic link must resolve inside the directory
/// (<see cref="StagingTree"/>). The entry count and the bytes written are bounded by <see cref="ExtractionBudget"/>.
/// </summary>
public static class ArchiveExtractor
{
    /// <summary>The archive types, as go-getter names them (its <c>archive</c> parameter's values).</summary>
    public static readonly IReadOnlyList<string> Types = ["tar", "tar.gz", "tgz", "tar.bz2", "tbz2", "tar.xz", "txz", "zip", "gz", "bz2", "xz"];

    private const UnixFileMode Permissions = (UnixFileMode)0x1FF; // rwxrwxrwx: never setuid, setgid or sticky

    /// <summary>The archive type a path's extension names (the longest match), or null.</summary>
    public static string? TypeOf(string path) =>
        Types.Where(t => path.EndsWith("." + t, StringComparison.Ordinal)).MaxBy(t => t.Length);

    /// <summary>Whether the type is one compressed file rather than an archive of many.</summary>
    public static bool IsSingleFile(string type) => type is "gz" or "bz2" or "xz";

    /// <summary>Unpacks an archive of many files into <paramref name="dir"/> (an empty directory).</summary>
    /// <exception cref="ArtifactException">an unsafe entry, a limit exceeded, or an unreadable archive</exception>
    public static void ExtractTree(string archive, string type, string dir, ExtractionBudget budget)
    {
        if (IsSingleFile(type)) throw new ArtifactException($"{Compression(type)}-compressed files can only unarchive to a single file");
        var links = new List<(string Name, string Target)>();
        Guard(type, () =>
        {
            if (type == "zip") UnzipTree(archive, dir, budget, links);
            else UntarTree(archive, type, dir, budget, links);
        });
        foreach (var (name, target) in links) StagingTree.CreateLink(dir, name, target);
        StagingTree.CheckLinks(dir);
    }

    /// <summary>Unpacks a compressed file, or an archive holding exactly one file, into the file <paramref name="file"/>.</summary>
    /// <exception cref="ArtifactException">an archive of more than one file, a limit exceeded, or an unreadable archive</exception>
    public static void ExtractFile(string archive, string type, string file, ExtractionBudget budget, string name) => Guard(type, () =>
    {
        if (IsSingleFile(type))
        {
            budget.CountFile();
            using var input = Decompress(File.OpenRead(archive), type);
            using var output = File.Create(file);
            budget.Copy(input, output);
            return;
        }
        bool written = false;
        void Write(Stream? data, UnixFileMode? mode)
        {
            if (written) throw new ArtifactException($"expected a single file, got multiple: {name}");
            written = true;
            using (var output = File.Create(file)) if (data is not null) budget.Copy(data, output);
            if (mode is { } m) File.SetUnixFileMode(file, m & Permissions);
        }
        if (type == "zip")
        {
            using var zip = ZipFile.OpenRead(archive);
            foreach (var e in zip.Entries)
            {
                budget.CountFile();
                if (e.FullName.EndsWith('/')) throw new ArtifactException($"expected a single file: {name}");
                using var data = e.Open();
                Write(data, ZipMode(e));
            }
        }
        else
        {
            using var tar = new TarReader(Decompress(File.OpenRead(archive), type));
            while (tar.GetNextEntry() is { } e)
            {
                budget.CountFile();
                if (e.EntryType == TarEntryType.Directory) throw new ArtifactException($"expected a single file: {name}");
                if (IsRegular(e.EntryType)) Write(e.DataStream, e.Mode);
            }
        }
        if (!written) throw new ArtifactException($"empty archive: {name}");
    });

    private static void UntarTree(string archive, string type, string dir, ExtractionBudget budget, List<(string, string)> links)
    {
        using var tar = new TarReader(Decompress(File.OpenRead(archive), type));
        bool any = false;
        while (tar.GetNextEntry() is { } e)
        {
            any = true;
            if (e.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes) continue;
            budget.CountFile();
            string? rel = EntryPath(e.Name);
            if (rel is null) continue;
            string path = Path.Combine(dir, rel);
            switch (e.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case var t when IsRegular(t):
                    WriteFile(path, e.DataStream, e.Mode, budget);
                    break;
                case TarEntryType.SymbolicLink:
                    links.Add((rel, e.LinkName));
                    break;
                case TarEntryType.HardLink:
                    // Links are only between the archive's own files: copy the one already unpacked.
                    string? target = EntryPath(e.LinkName);
                    string from = target is null ? "" : Path.Combine(dir, target);
                    if (target is null || !File.Exists(from) || StagingTree.IsLink(from))
                        throw new ArtifactException($"entry {e.Name} links to {e.LinkName}, which is not a file of the archive");
                    using (var source = File.OpenRead(from)) WriteFile(path, source, File.GetUnixFileMode(from), budget);
                    break;
                // Devices, FIFOs and the like are not unpacked.
            }
        }
        if (!any) throw new ArtifactException($"empty archive: {Path.GetFileName(archive)}");
    }

    private static void UnzipTree(string archive, string dir, ExtractionBudget budget, List<(string, string)> links)
    {
        using var zip = ZipFile.OpenRead(archive);
        foreach (var e in zip.Entries)
        {
            budget.CountFile();
            string? rel = EntryPath(e.FullName);
            if (rel is null) continue;
            string path = Path.Combine(dir, rel);
            var mode = ZipMode(e);
            if (e.FullName.EndsWith('/')) Directory.CreateDirectory(path);
            else if (mode is { } m && ((int)m & 0xF000) == 0xA000)
            {
                using var reader = new StreamReader(e.Open(), Encoding.UTF8);
                var buffer = new char[4096];
                links.Add((rel, new string(buffer, 0, reader.ReadBlock(buffer))));
            }
            else
            {
                using var data = e.Open();
                WriteFile(path, data, mode, budget);
            }
        }
    }

    /// <summary>An entry's name as a path inside the archive (null for the archive's root itself); absolute names and <c>..</c> are refused.</summary>
    public static string? EntryPath(string name)
    {
        if (name.StartsWith('/') || name.StartsWith('\\')) throw new ArtifactException($"entry has an absolute path: {name}");
        if (name.Split('/', '\\').Contains("..")) throw new ArtifactException($"entry contains '..': {name}");
        var parts = name.Split('/').Where(p => p.Length > 0 && p != ".").ToArray();
        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    private static void WriteFile(string path, Stream? data, UnixFileMode? mode, ExtractionBudget budget)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (var output = new FileStream(path, FileMode.Create, FileAccess.Write))
            if (data is not null) budget.Copy(data, output);
        if (mode is { } m && ((int)m & 0x1FF) != 0) File.SetUnixFileMode(path, m & Permissions);
    }

    private static bool IsRegular(TarEntryType t) => t is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    /// <summary>The Unix mode a zip made on Unix records in its entry's external attributes (type bits included), or null.</summary>
    private static UnixFileMode? ZipMode(ZipArchiveEntry e)
    {
        int mode = (e.ExternalAttributes >> 16) & 0xFFFF;
        return mode == 0 ? null : (UnixFileMode)mode;
    }

    private static Stream Decompress(Stream raw, string type) => type switch
    {
        "tar.gz" or "tgz" or "gz" => new GZipStream(raw, CompressionMode.Decompress),
        "tar.bz2" or "tbz2" or "bz2" => BZip2Stream.Create(raw, SharpCompress.Compressors.CompressionMode.Decompress, true, false, false),
        "tar.xz" or "txz" or "xz" => new XZStream(raw),
        _ => raw,
    };

    private static string Compression(string type) => type switch { "gz" => "gzip", "bz2" => "bzip2", _ => "xz" };

    /// <summary>Turns what a reader throws on a corrupt archive into one line naming the type.</summary>
    private static void Guard(string type, Action extract)
    {
        try { extract(); }
        catch (ArtifactException) { throw; }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or FormatException or InvalidOperationException or ArgumentException or NotSupportedException)
        {
            throw new ArtifactException($"failed to unpack {type} archive: {e.Message}");
        }
    }
}
