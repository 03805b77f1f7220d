using System.Text;

namespace Nomad.Agent.Client.Allocs;

/// <summary>One file of an allocation directory as the fs API describes it: Nomad's AllocFileInfo.</summary>
public sealed record AllocFileInfo(string Name, bool IsDir, long Size, string FileMode, DateTime ModTime, string ContentType)
{
    internal static AllocFileInfo From(string name, StatxResult st, string contentType) =>
        new(name, st.IsDirectory, st.Size, GoFileMode(st.Mode), st.ModTime, contentType);

    /// <summary>
    /// Go's os.FileMode.String() for a stat mode: the letters of the set type and special bits in Go's order
    /// (d L D p S u g c t; a character device is "Dc"), or '-' when none, then the nine rwx permissions.
    /// </summary>
    internal static string GoFileMode(uint mode)
    {
        var b = new StringBuilder();
        var type = mode & StatxResult.S_IFMT;
        if (type == StatxResult.S_IFDIR) b.Append('d');
        if (type == StatxResult.S_IFLNK) b.Append('L');
        if (type is StatxResult.S_IFBLK or StatxResult.S_IFCHR) b.Append('D');
        if (type == StatxResult.S_IFIFO) b.Append('p');
        if (type == StatxResult.S_IFSOCK) b.Append('S');
        if ((mode & 0x800) != 0) b.Append('u'); // S_ISUID
        if ((mode & 0x400) != 0) b.Append('g'); // S_ISGID
        if (type == StatxResult.S_IFCHR) b.Append('c');
        if ((mode & 0x200) != 0) b.Append('t'); // S_ISVTX
        if (b.Length == 0) b.Append('-');
        for (var bit = 8; bit >= 0; bit--) b.Append((mode & (1u << bit)) != 0 ? "rwx"[(8 - bit) % 3] : '-');
        return b.ToString();
    }
}
