using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using SharpCompress.Compressors.BZip2;

namespace Nomad.Agent.Tests.Client.Artifacts;

/// <summary>One entry of an archive built by a test: a file (with content and mode), a directory, or a link.</summary>
public sealed record Entry(string Name, string? Content = null, string? SymlinkTo = null, string? HardLinkTo = null, bool Dir = false, UnixFileMode Mode = (UnixFileMode)0x1A4)
{
    public static Entry File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1A4) => new(name, content, Mode: mode);
    public static Entry Directory(string name) => new(name, Dir: true, Mode: (UnixFileMode)0x1ED);
    public static Entry Symlink(string name, string target) => new(name, SymlinkTo: target);
    public static Entry HardLink(string name, string target) => new(name, HardLinkTo: target);
}

/// <summary>Real archives written with the framework's tar and zip writers, gzip, SharpCompress's bzip2 and the xz tool.</summary>
internal static class TestArchives
{
    public static void Tar(string path, string type, params Entry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                var kind = e.Dir ? TarEntryType.Directory : e.SymlinkTo is not null ? TarEntryType.SymbolicLink : e.HardLinkTo is not null ? TarEntryType.HardLink : TarEntryType.RegularFile;
                var entry = new PaxTarEntry(kind, e.Name) { Mode = e.Mode };
                if (e.SymlinkTo is not null || e.HardLinkTo is not null) entry.LinkName = e.SymlinkTo ?? e.HardLinkTo!;
                if (e.Content is not null) entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(e.Content));
                tar.WriteEntry(entry);
            }
        }
        Compress(buffer.ToArray(), path, type);
    }

    /// <summary>Writes <paramref name="data"/> compressed as the archive type says (tar.gz, gz, tar.bz2, tar.xz...).</summary>
    public static void Compress(byte[] data, string path, string type)
    {
        switch (type)
        {
            case "tar":
                File.WriteAllBytes(path, data);
                break;
            case "tar.gz" or "tgz" or "gz":
                using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest)) gz.Write(data);
                break;
            case "tar.bz2" or "bz2":
                using (var output = File.Create(path))
                using (var bz = BZip2Stream.Create(output, SharpCompress.Compressors.CompressionMode.Compress, false, false, false))
                    bz.Write(data);
                break;
            case "tar.xz" or "xz":
                File.WriteAllBytes(path + ".raw", data);
                var xz = Process.Start(new ProcessStartInfo("xz", ["-z", "-c", path + ".raw"]) { RedirectStandardOutput = true })!;
                using (var output = File.Create(path)) xz.StandardOutput.BaseStream.CopyTo(output);
                xz.WaitForExit();
                File.Delete(path + ".raw");
                if (xz.ExitCode != 0) throw new InvalidOperationException("xz failed");
                break;
            default:
                throw new ArgumentException(type);
        }
    }

    public static void Zip(string path, params Entry[] entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var e in entries)
        {
            var entry = zip.CreateEntry(e.Dir ? e.Name.TrimEnd('/') + "/" : e.Name);
            int type = e.Dir ? 0x4000 : e.SymlinkTo is not null ? 0xA000 : 0x8000;
            entry.ExternalAttributes = (type | (int)e.Mode) << 16;
            if (e.Dir) continue;
            using var w = new StreamWriter(entry.Open());
            w.Write(e.SymlinkTo ?? e.Content ?? "");
        }
    }

    public static bool HasXz => File.Exists("/usr/bin/xz") || File.Exists("/bin/xz");
}
