using System.Runtime.InteropServices;

namespace Nomad.Fingerprints;

/// <summary>The few libc calls the fingerprinters need (64-bit Linux layouts).</summary>
internal static unsafe partial class Libc
{
    /// <summary>The leading fields of <c>struct statvfs</c>, identical in glibc and musl on 64-bit targets; the rest is room.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StatVfsHead
    {
        public ulong BlockSize;
        public ulong FragmentSize;
        public ulong Blocks;
        public ulong BlocksFree;
        public ulong BlocksAvailable;
        public fixed byte Rest[256];
    }

    [DllImport("libc", EntryPoint = "statvfs", SetLastError = true)]
    private static extern int StatVfsNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out StatVfsHead buf);

    [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
    private static extern IntPtr RealPathNative([MarshalAs(UnmanagedType.LPUTF8Str)] string path, IntPtr resolved);

    [DllImport("libc", EntryPoint = "free")]
    private static extern void Free(IntPtr p);

    /// <summary>Total and available (to unprivileged users, as df's "Available") bytes of the filesystem holding <paramref name="path"/>.</summary>
    public static (ulong Total, ulong Available) DiskSpace(string path)
    {
        if (StatVfsNative(path, out var s) != 0)
            throw new IOException($"statvfs {path}: errno {Marshal.GetLastPInvokeError()}");
        var unit = s.FragmentSize != 0 ? s.FragmentSize : s.BlockSize;
        return (s.Blocks * unit, s.BlocksAvailable * unit);
    }

    /// <summary>The absolute path with every symlink resolved, or null when it cannot be resolved.</summary>
    public static string? RealPath(string path)
    {
        var p = RealPathNative(path, IntPtr.Zero);
        if (p == IntPtr.Zero) return null;
        try { return Marshal.PtrToStringUTF8(p); }
        finally { Free(p); }
    }
}
