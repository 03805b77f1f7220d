using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Client;

/// <summary>
/// The fs API's confinement on real files: whatever links a task plants in its allocation directory, nothing
/// outside it is read, listed or described; what is inside still is.
/// </summary>
public sealed class AllocFileAccessTests
{
    private string _tmp = "", _root = "", _outside = "";
    private AllocFileAccess _files = null!;

    [DllImport("libc", SetLastError = true)] private static extern int rename(string from, string to);
    [DllImport("libc")] private static extern uint geteuid();
    [DllImport("libc", SetLastError = true)] private static extern int mkfifo(string path, uint mode);
    [DllImport("libc", SetLastError = true)] private static extern int open(string path, int flags);
    [DllImport("libc")] private static extern int close(int fd);
    [DllImport("libc")] private static extern int gettid();

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("openat2 confinement is Linux only");
        _tmp = Directory.CreateTempSubdirectory("alloc-files-").FullName;
        // Beside the allocation directory, as another allocation or the client's state would be.
        _outside = Directory.CreateDirectory(Path.Combine(_tmp, "outside")).FullName;
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "HOST-SECRET\n");
        Directory.CreateDirectory(Path.Combine(_outside, "sub"));
        var dir = new AllocDir(_tmp, "alloc-1");
        dir.Build();
        dir.BuildTask("t");
        _root = dir.Root;
        _files = dir.Files;
        File.WriteAllText(Local("hello.txt"), "hello\n");
    }

    [TearDown]
    public void TearDown()
    {
        if (_tmp.Length > 0) Directory.Delete(_tmp, recursive: true);
    }

    private string Local(string name) => Path.Combine(_root, "t", "local", name);

    private void Link(string name, string target) => File.CreateSymbolicLink(Local(name), target);

    private static string Read(SafeFileHandle file)
    {
        using (file)
        {
            // Until EOF, as cat does: /proc's files report a size of 0.
            var all = new MemoryStream();
            var buf = new byte[4096];
            int n;
            while ((n = RandomAccess.Read(file, buf, all.Length)) > 0) all.Write(buf, 0, n);
            return Encoding.UTF8.GetString(all.ToArray());
        }
    }

    private string Cat(string path) => Read(_files.OpenFile(path));

    /// <summary>Every operation on <paramref name="path"/> is refused with a 400 whose message names the path.</summary>
    private void AssertRefused(string path, string why = "escapes the allocation directory")
    {
        var e = Assert.Throws<BadRequestException>(() => Cat(path), $"cat {path}")!;
        Assert.That(e.Message, Does.Contain(path).And.Contain(why));
        Assert.That(Assert.Throws<BadRequestException>(() => _files.Stat(path), $"stat {path}")!.Message, Does.Contain(why));
    }

    private void AssertListRefused(string path, string why = "escapes the allocation directory") =>
        Assert.That(Assert.Throws<BadRequestException>(() => _files.List(path), $"ls {path}")!.Message, Does.Contain(why));

    [Test]
    public void Legitimate_files_nested_directories_and_links_inside_work()
    {
        Directory.CreateDirectory(Local("a/b/c"));
        File.WriteAllText(Local("a/b/c/deep.txt"), "deep\n");
        Link("to-hello", "hello.txt");
        Link("to-c", "a/b/c");
        Link("to-shared", "../../alloc/data");
        File.WriteAllText(Path.Combine(_root, "alloc", "data", "shared.txt"), "shared\n");

        Assert.That(Cat("t/local/hello.txt"), Is.EqualTo("hello\n"));
        Assert.That(Cat("/t/local/a/b/c/deep.txt"), Is.EqualTo("deep\n"), "a leading slash names the allocation directory");
        Assert.That(Cat("t/local/to-hello"), Is.EqualTo("hello\n"));
        Assert.That(Cat("t/local/to-c/deep.txt"), Is.EqualTo("deep\n"));
        Assert.That(Cat("t/local/to-shared/shared.txt"), Is.EqualTo("shared\n"));
        Assert.That(Cat("t/local/a/../hello.txt"), Is.EqualTo("hello\n"), "'..' that stays inside");

        var names = _files.List("/").Select(e => e.Name);
        Assert.That(names, Is.EqualTo(new[] { "alloc", "t" }));
        var local = _files.List("t/local").ToDictionary(e => e.Name);
        Assert.That(local.Keys, Is.EqualTo(new[] { "a", "hello.txt", "to-c", "to-hello", "to-shared" }), "sorted by name");
        Assert.That(local["a"].IsDir, Is.True);
        Assert.That(local["a"].FileMode, Does.StartWith("d"));
        Assert.That(local["to-c"].FileMode, Does.StartWith("L"), "ls shows a link as a link");
        Assert.That(local["to-c"].IsDir, Is.False);
        Assert.That(local["hello.txt"].Size, Is.EqualTo(6));
        Assert.That(_files.List("t/local/to-c").Select(e => e.Name), Is.EqualTo(new[] { "deep.txt" }), "ls through a link inside");

        var stat = _files.Stat("t/local/to-hello");
        Assert.That(stat.Name, Is.EqualTo("to-hello"));
        Assert.That(stat.Size, Is.EqualTo(6), "stat follows a final link inside");
        Assert.That(stat.ContentType, Does.StartWith("text/plain"));
        Assert.That(_files.Stat("/").Name, Is.EqualTo("alloc-1"));
        Assert.That(_files.Stat("t/local/a").IsDir, Is.True);
        Assert.That(_files.Stat("t/local/a").ContentType, Is.Empty);
    }

    [Test]
    public void A_chain_of_links_through_a_directory_outside_is_refused()
    {
        Link("etcdir", "/etc");
        Link("chain", "etcdir/passwd");
        AssertRefused("t/local/chain");
        AssertRefused("t/local/etcdir/passwd");
        AssertListRefused("t/local/etcdir");

        // The same with relative links only: up to the allocation's parent, then into a sibling directory.
        Link("up", "../../..");
        Link("sibling", "up/outside");
        Link("secret", "sibling/secret.txt");
        AssertRefused("t/local/secret");
        AssertListRefused("t/local/sibling");
    }

    [Test]
    public void A_link_loop_is_a_bad_request()
    {
        Link("loop-a", "loop-b");
        Link("loop-b", "loop-a");
        Link("self", "self");
        AssertRefused("t/local/loop-a", "too many levels of symbolic links");
        AssertRefused("t/local/self/x", "too many levels of symbolic links");
        AssertListRefused("t/local/loop-b", "too many levels of symbolic links");
    }

    [Test]
    public void Links_to_proc_roots_and_to_slash_are_refused()
    {
        Link("self-root", "/proc/self/root");
        Link("init-root", "/proc/1/root");
        Link("slash", "/");
        Link("rel-proc", string.Concat(Enumerable.Repeat("../", 30)) + "proc/self/root");
        foreach (var l in new[] { "self-root", "init-root", "slash", "rel-proc" })
        {
            AssertRefused($"t/local/{l}/etc/passwd");
            AssertListRefused($"t/local/{l}/etc");
            AssertListRefused($"t/local/{l}");
        }
    }

    [Test]
    public void Magic_links_of_a_proc_mounted_inside_are_refused()
    {
        if (geteuid() != 0) Assert.Ignore("mounting proc inside the allocation directory needs root");
        var proc = Directory.CreateDirectory(Local("proc")).FullName;
        if (Run("mount", "-t", "proc", "proc", proc) != 0) Assert.Ignore("cannot mount proc here");
        try
        {
            var why = "a link into /proc";
            AssertRefused("t/local/proc/self/root/etc/passwd", why);
            AssertRefused("t/local/proc/self/cwd", why);
            AssertListRefused("t/local/proc/self/root", why);
            // Another process's links: refused as magic links, or earlier by the kernel's ptrace check (403).
            foreach (var path in new[] { "t/local/proc/1/root/etc/passwd", "t/local/proc/1/cwd" })
                Assert.That(() => Cat(path), Throws.TypeOf<BadRequestException>().Or.TypeOf<PermissionDeniedException>(), path);
            Assert.That(() => _files.List("t/local/proc/1/root"), Throws.TypeOf<BadRequestException>().Or.TypeOf<PermissionDeniedException>());
            Assert.That(Cat("t/local/proc/self/comm"), Is.Not.Empty, "proc's plain files are inside the mount");
        }
        finally
        {
            Assert.That(Run("umount", proc), Is.Zero, "unmount proc before the directory is removed");
        }
    }

    [Test]
    public void Dot_dot_is_resolved_after_the_link_before_it_as_the_kernel_does()
    {
        Link("to-root", "../.."); // the allocation directory itself: fine
        Assert.That(_files.List("t/local/to-root").Select(e => e.Name), Is.EqualTo(new[] { "alloc", "t" }));
        // Spelled out, this path stays inside; resolved, to-root/.. is the allocation's parent.
        AssertRefused("t/local/to-root/../outside/secret.txt");
        AssertListRefused("t/local/to-root/..");

        Directory.CreateDirectory(Local("sub/deeper"));
        File.WriteAllText(Local("sub/file.txt"), "in sub\n");
        Link("inner", "sub/deeper");
        Assert.That(Cat("t/local/inner/../file.txt"), Is.EqualTo("in sub\n"), "inner/.. is sub, not t/local");
        AssertRefused("../outside/secret.txt");
        AssertRefused("t/../../outside/secret.txt");
    }

    [Test]
    public void An_allocation_directory_replaced_by_a_link_is_refused()
    {
        Directory.Delete(_root, recursive: true);
        Directory.CreateSymbolicLink(_root, _outside);
        Assert.Throws<BadRequestException>(() => Cat("secret.txt"));
        Assert.Throws<BadRequestException>(() => _files.List("/"));
    }

    [Test]
    public void Odd_files_and_paths_get_clean_errors()
    {
        Assert.That(Assert.Throws<BadRequestException>(() => Cat("t/local/a\0b"))!.Message, Is.EqualTo("path: must not contain a NUL byte"));
        Assert.That(Assert.Throws<NotFoundException>(() => Cat("t/local/missing"))!.Message, Is.EqualTo("path: t/local/missing does not exist"));
        Assert.Throws<NotFoundException>(() => Cat("t/local/hello.txt/x"));
        Assert.That(Assert.Throws<BadRequestException>(() => Cat("t/local"))!.Message, Is.EqualTo("path: t/local is a directory"));
        Assert.That(Assert.Throws<BadRequestException>(() => _files.List("t/local/hello.txt"))!.Message, Is.EqualTo("path: t/local/hello.txt is a file, not a directory"));

        Assert.That(mkfifo(Local("fifo"), 0x1a4), Is.Zero);
        Assert.That(Assert.Throws<BadRequestException>(() => Cat("t/local/fifo"))!.Message, Does.Contain("is not a regular file"), "never blocks on a FIFO");
        Assert.That(_files.Stat("t/local/fifo").FileMode, Is.EqualTo("prw-r--r--"));
    }

    /// <summary>
    /// A FIFO with a writer blocked in open(2): the agent never opens it, so the writer is still waiting after
    /// stat, ls, cat and the log listing. (Had anything opened it for reading, the writer would have been let in.)
    /// </summary>
    [Test]
    public void A_fifo_is_described_and_refused_without_ever_being_opened()
    {
        var logs = Path.Combine(_root, "alloc", "logs");
        var fifo = Path.Combine(logs, "t.stdout.1");
        Assert.That(mkfifo(fifo, 0x1a4), Is.Zero);
        File.WriteAllText(Path.Combine(logs, "t.stdout.0"), "zero\n");
        var tid = 0;
        var released = false;
        var openedEarly = false;
        var writer = new Thread(() =>
        {
            Volatile.Write(ref tid, gettid());
            var fd = open(fifo, 1 /* O_WRONLY, blocks until a reader opens */);
            openedEarly = !Volatile.Read(ref released);
            if (fd >= 0) close(fd);
        }) { IsBackground = true };
        writer.Start();
        // Wait (with a deadline) until the writer is inside open(2): /proc names the system call it is blocked in.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!BlockedInOpen(Volatile.Read(ref tid)))
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the writer never blocked in open");
            Thread.Yield();
        }

        Assert.That(_files.Stat("alloc/logs/t.stdout.1").FileMode, Is.EqualTo("prw-r--r--"));
        Assert.That(_files.List("alloc/logs").Single(e => e.Name == "t.stdout.1").FileMode, Is.EqualTo("prw-r--r--"));
        Assert.That(Assert.Throws<BadRequestException>(() => Cat("alloc/logs/t.stdout.1"))!.Message, Is.EqualTo("path: alloc/logs/t.stdout.1 is not a regular file"));
        Volatile.Write(ref released, true);
        var reader = open(fifo, 0x800 /* O_RDONLY | O_NONBLOCK */);
        Assert.That(writer.Join(TimeSpan.FromSeconds(30)), Is.True, "the writer got in once the test opened the FIFO");
        close(reader);
        Assert.That(openedEarly, Is.False, "the agent opened the FIFO");

        var stream = new TaskLogFiles(_files, "t", "stdout");
        Assert.That(stream.List().Select(f => f.Index), Is.EqualTo(new[] { 0 }), "a FIFO named like a log file is no log file");
        Assert.That(stream.TryOpen(1), Is.Null);
    }

    private static bool BlockedInOpen(int tid)
    {
        if (tid == 0) return false;
        string call;
        try { call = File.ReadAllText($"/proc/self/task/{tid}/syscall").Split(' ')[0]; }
        catch (IOException) { return false; }
        // open / openat on x86_64, openat on arm64.
        return call is "2" or "257" or "56";
    }

    [Test]
    public void A_unix_socket_a_task_left_is_described_not_opened()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Local("sock")));
        var st = _files.Stat("t/local/sock");
        Assert.That(st.FileMode, Does.StartWith("S"), "opening a socket fails with ENXIO: stat must not");
        Assert.That(st.IsDir, Is.False);
        Assert.That(_files.List("t/local").Single(e => e.Name == "sock").FileMode, Does.StartWith("S"));
        Assert.That(Assert.Throws<BadRequestException>(() => Cat("t/local/sock"))!.Message, Is.EqualTo("path: t/local/sock is not a regular file"));
    }

    [Test]
    public void A_device_node_a_task_made_is_described_not_opened()
    {
        if (geteuid() != 0) Assert.Ignore("making a device node (mknod) needs root");
        using (var mknod = Process.Start(new ProcessStartInfo("mknod", [Local("null"), "c", "1", "3"]) { RedirectStandardError = true })!)
        {
            var err = mknod.StandardError.ReadToEnd();
            mknod.WaitForExit();
            if (mknod.ExitCode != 0) Assert.Ignore($"mknod is not permitted here: {err.Trim()}");
        }
        Assert.That(_files.Stat("t/local/null").FileMode, Does.StartWith("Dc"));
        Assert.That(_files.List("t/local").Single(e => e.Name == "null").FileMode, Does.StartWith("Dc"));
        Assert.That(Assert.Throws<BadRequestException>(() => Cat("t/local/null"))!.Message, Is.EqualTo("path: t/local/null is not a regular file"));
        Link("dev", "null");
        Assert.Throws<BadRequestException>(() => Cat("t/local/dev"), "through a link as well");
    }

    [Test]
    public void Log_listing_skips_what_is_not_a_regular_file()
    {
        var logs = Path.Combine(_root, "alloc", "logs");
        File.WriteAllText(Path.Combine(logs, "t.stdout.0"), "zero\n");
        Directory.CreateDirectory(Path.Combine(logs, "t.stdout.7"));
        File.CreateSymbolicLink(Path.Combine(logs, "t.stdout.8"), "t.stdout.7");
        var stream = new TaskLogFiles(_files, "t", "stdout");
        Assert.That(stream.List().Select(f => f.Index), Is.EqualTo(new[] { 0 }));
        Assert.That(stream.StartAt("end", 2), Is.EqualTo((0, 3L)));
        Assert.That(stream.TryOpen(7), Is.Null);
    }

    [Test]
    public void Files_in_a_task_secrets_directory_are_not_read_by_any_path()
    {
        var secrets = Path.Combine(_root, "t", "secrets");
        File.WriteAllText(Path.Combine(secrets, "token"), "TOKEN\n");
        var e = Assert.Throws<PermissionDeniedException>(() => Cat("t/secrets/token"))!;
        Assert.That(e.Message, Is.EqualTo("Reading secret file prohibited: t/secrets/token"));
        Assert.That(Assert.Throws<PermissionDeniedException>(() => Cat("/t/local/../secrets/token"))!.Message, Does.Contain("Reading secret file prohibited"));

        Link("s", "../secrets/token");
        Assert.Throws<PermissionDeniedException>(() => Cat("t/local/s"), "a link to a secret from the task's own directory");
        File.CreateSymbolicLink(Path.Combine(_root, "alloc", "data", "s"), "../../t/secrets");
        Assert.Throws<PermissionDeniedException>(() => Cat("alloc/data/s/token"), "through a link to the secrets directory from the shared alloc dir");
        var logs = Path.Combine(_root, "alloc", "logs");
        File.CreateSymbolicLink(Path.Combine(logs, "t.stdout.0"), "../../t/secrets/token");
        Assert.Throws<PermissionDeniedException>(() => new TaskLogFiles(_files, "t", "stdout").List(), "nor as a log file");

        // As Nomad: ls and stat still describe what is there; other files read as before.
        Assert.That(_files.List("t/secrets").Select(f => f.Name), Is.EqualTo(new[] { "token" }));
        Assert.That(_files.Stat("t/secrets/token").Size, Is.EqualTo(6));
        Assert.That(Cat("t/local/hello.txt"), Is.EqualTo("hello\n"));
        Directory.CreateDirectory(Path.Combine(_root, "alloc", "data", "secrets"));
        File.WriteAllText(Path.Combine(_root, "alloc", "data", "secrets", "plain"), "shared\n");
        Assert.That(Cat("alloc/data/secrets/plain"), Is.EqualTo("shared\n"), "only a task's own secrets directory is secret");
    }

    /// <summary>
    /// statx and getdents64 go through syscall(2) by number: glibc's wrappers for them (2.28 / 2.30) are missing
    /// from older distributions that run a 5.6+ kernel, and binding one would fail the fs API there.
    /// </summary>
    [Test]
    public void Only_long_standing_libc_functions_are_bound()
    {
        var bound = typeof(AllocFileAccess).Assembly.GetType("Nomad.Agent.Client.Allocs.LinuxFileCalls")!
            .GetMethods(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
            .Select(m => m.GetCustomAttributes(typeof(DllImportAttribute), false).Cast<DllImportAttribute>().FirstOrDefault() is { } import
                ? import.EntryPoint ?? m.Name : null)
            .Where(name => name is not null)
            .Distinct()
            .Order();
        Assert.That(bound, Is.EquivalentTo(new[] { "open", "readlink", "syscall" }));
    }

    [Test]
    public void File_modes_read_as_Go_writes_them()
    {
        Assert.That(AllocFileInfo.GoFileMode(0x8000 | 0x1a4), Is.EqualTo("-rw-r--r--"));
        Assert.That(AllocFileInfo.GoFileMode(0x4000 | 0x200 | 0x1ff), Is.EqualTo("dtrwxrwxrwx"));
        Assert.That(AllocFileInfo.GoFileMode(0xA000 | 0x1ff), Is.EqualTo("Lrwxrwxrwx"));
        Assert.That(AllocFileInfo.GoFileMode(0x2000 | 0x1b6), Is.EqualTo("Dcrw-rw-rw-"));
        Assert.That(AllocFileInfo.GoFileMode(0x8000 | 0x800 | 0x1ed), Is.EqualTo("urwxr-xr-x"));
    }

    [Test]
    public void Log_files_are_read_the_same_confined_way()
    {
        var logs = Path.Combine(_root, "alloc", "logs");
        File.WriteAllText(Path.Combine(logs, "t.stdout.0"), "zero\n");
        File.WriteAllText(Local("more.txt"), "more\n");
        File.CreateSymbolicLink(Path.Combine(logs, "t.stdout.1"), "../../t/local/more.txt");
        var stream = new TaskLogFiles(_files, "t", "stdout");
        Assert.That(stream.List().Select(f => (f.Index, f.Size)), Is.EqualTo(new[] { (0, 5L), (1, 5L) }), "a link inside counts, with its target's size");
        Assert.That(Read(stream.TryOpen(1)!), Is.EqualTo("more\n"));
        Assert.That(stream.TryOpen(2), Is.Null);

        Link("etcdir", "/etc");
        File.CreateSymbolicLink(Path.Combine(logs, "t.stdout.2"), "../../t/local/etcdir/passwd");
        Assert.Throws<BadRequestException>(() => stream.List());
        Assert.Throws<BadRequestException>(() => stream.TryOpen(2));

        // The logs directory itself swapped for a link outside.
        Directory.Delete(logs, recursive: true);
        Directory.CreateSymbolicLink(logs, _outside);
        Assert.Throws<BadRequestException>(() => new TaskLogFiles(_files, "t", "stdout").List());
    }

    [Test]
    public void A_link_swapped_between_inside_and_outside_while_reading_never_yields_the_outside_file()
    {
        var inside = Directory.CreateDirectory(Local("inside")).FullName;
        File.WriteAllText(Path.Combine(inside, "secret.txt"), "harmless\n");
        Link("sw", "inside");
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = new Thread(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var tmp = Local($"sw.{i}");
                File.CreateSymbolicLink(tmp, i % 2 == 0 ? _outside : "inside");
                if (rename(tmp, Local("sw")) != 0) throw new IOException($"rename: errno {Marshal.GetLastPInvokeError()}");
                Interlocked.Increment(ref swaps);
            }
        }) { IsBackground = true };
        swapper.Start();
        int inside_ = 0, refused = 0;
        var watch = Stopwatch.StartNew();
        try
        {
            // Enough rounds to see both outcomes many times, bounded in time for a loaded machine.
            for (var round = 0; round < 20_000 && (round < 2_000 || watch.Elapsed < TimeSpan.FromSeconds(5)); round++)
            {
                try
                {
                    switch (round % 3)
                    {
                        case 0: Assert.That(Cat("t/local/sw/secret.txt"), Is.EqualTo("harmless\n")); break;
                        case 1: Assert.That(_files.Stat("t/local/sw/secret.txt").Size, Is.EqualTo("harmless\n".Length)); break;
                        default: Assert.That(_files.List("t/local/sw").Select(e => e.Name), Is.EqualTo(new[] { "secret.txt" })); break;
                    }
                    inside_++;
                }
                catch (BadRequestException e)
                {
                    Assert.That(e.Message, Does.Contain("escapes the allocation directory"));
                    refused++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }
        Assert.That(swaps, Is.GreaterThan(100), "the link was swapped while the reads ran");
        Assert.That(inside_, Is.GreaterThan(0), "reads through the inside target");
        Assert.That(refused, Is.GreaterThan(0), "reads through the outside target");
    }

    private static int Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
