using System.Diagnostics;
using NUnit.Framework;
using Nomad.Agent.Consensus;

namespace Nomad.Agent.Tests.Consensus;

/// <summary>
/// A -dev agent's Raft state lives in RAM (/dev/shm); one killed with SIGKILL cannot delete it, so the next
/// ephemeral directory removes those whose owner is gone.
/// </summary>
public sealed class RaftDirectoryTests
{
    private static readonly DateTime LongAgo = DateTime.UtcNow.AddHours(-1);

    private static string Ephemeral(string parent) => Path.Combine(parent, $"nomad-raft-{Guid.NewGuid():N}");

    /// <summary>An ephemeral directory as an owner leaves it, its lock file made long ago.</summary>
    private static string Planted(string parent)
    {
        var dir = Ephemeral(parent);
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        var lockFile = Path.Combine(dir, RaftDirectory.OwnerLockName);
        File.WriteAllBytes(lockFile, []);
        File.SetLastWriteTimeUtc(lockFile, LongAgo);
        return dir;
    }

    /// <summary>Another process holding the owner lock, as a live agent does (flock(1) takes the same flock(2)).</summary>
    private static Process HoldLock(string dir)
    {
        var holder = Process.Start(new ProcessStartInfo("flock", [Path.Combine(dir, RaftDirectory.OwnerLockName), "sleep", "600"]))!;
        return holder;
    }

    private static bool IsLockedByAnother(string dir)
    {
        try
        {
            using (new FileStream(Path.Combine(dir, RaftDirectory.OwnerLockName), FileMode.Open, FileAccess.ReadWrite, FileShare.None)) return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    [Test]
    public async Task A_directory_whose_owner_died_is_removed_and_one_whose_owner_lives_is_kept()
    {
        using var parent = new TempDir();
        var dead = Planted(parent.Path);
        var alive = Planted(parent.Path);
        using var holder = HoldLock(alive);
        try
        {
            await Eventually.Until(() => IsLockedByAnother(alive), TimeSpan.FromSeconds(10), "the holder to take the lock");

            using var mine = RaftDirectory.OpenEphemeral(parent.Path);

            Assert.That(Directory.Exists(dead), Is.False, "nobody holds its lock: its owner is gone");
            Assert.That(Directory.Exists(alive), Is.True, "its owner still holds the lock");
            Assert.That(Directory.Exists(mine.Root), Is.True);
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // flock(1) hands its locked descriptor to sleep too
            await holder.WaitForExitAsync();
        }
        // The lock goes when the last process holding it has exited, which a kill does not wait for.
        await Eventually.Until(() => !IsLockedByAnother(alive), TimeSpan.FromSeconds(10), "the holder's lock to be released");

        using var next = RaftDirectory.OpenEphemeral(parent.Path);
        Assert.That(Directory.Exists(alive), Is.False, "its owner died: the next directory removes it");
    }

    [Test]
    public void A_live_directory_of_this_process_is_kept_and_removed_on_dispose()
    {
        using var parent = new TempDir();
        var first = RaftDirectory.OpenEphemeral(parent.Path);
        File.SetLastWriteTimeUtc(Path.Combine(first.Root, RaftDirectory.OwnerLockName), LongAgo);

        using (RaftDirectory.OpenEphemeral(parent.Path))
            Assert.That(Directory.Exists(first.Root), Is.True, "the lock is held while the directory is in use");

        first.Dispose();
        Assert.That(Directory.Exists(first.Root), Is.False);
    }

    [Test]
    public void Directories_from_before_owner_locks_are_removed_once_old_and_others_are_left_alone()
    {
        using var parent = new TempDir();
        var old = Ephemeral(parent.Path);
        Directory.CreateDirectory(old);
        Directory.SetLastWriteTimeUtc(old, LongAgo);
        var young = Ephemeral(parent.Path);
        Directory.CreateDirectory(young);
        var foreign = Path.Combine(parent.Path, "nomad-raft-test-data");
        Directory.CreateDirectory(foreign);
        Directory.SetLastWriteTimeUtc(foreign, LongAgo);
        var youngLocked = Planted(parent.Path);
        File.SetLastWriteTimeUtc(Path.Combine(youngLocked, RaftDirectory.OwnerLockName), DateTime.UtcNow);

        using var mine = RaftDirectory.OpenEphemeral(parent.Path);

        Assert.That(Directory.Exists(old), Is.False, "no lock file and long unchanged: left by a killed agent");
        Assert.That(Directory.Exists(young), Is.True, "its owner may not have locked it yet");
        Assert.That(Directory.Exists(youngLocked), Is.True, "an unlocked lock file made a moment ago may be about to be locked");
        Assert.That(Directory.Exists(foreign), Is.True, "not a name an agent gives its directory");
    }
}
