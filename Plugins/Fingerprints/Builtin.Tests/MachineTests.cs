using System.Globalization;
using System.Net.Sockets;

namespace Nomad.Fingerprints.Tests;

/// <summary>The local fingerprinters against this machine, cross-checked with uname, df, ip, /proc and /etc read independently.</summary>
public sealed class MachineTests
{
    [Test]
    public async Task Arch_is_named_as_Go_names_it()
    {
        var run = await Run.OfAsync(new ArchFingerprinter());
        var expected = Sh.Run("uname", "-m") switch
        {
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "i686" or "i386" => "386",
            var other => other,
        };
        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Attr("cpu.arch"), Is.EqualTo(expected));
    }

    [Test]
    public async Task Cgroup_reports_this_machines_hierarchy_every_15s_and_logs_availability_once()
    {
        var fp = new CGroupFingerprinter();
        Assert.That(fp.Period, Is.EqualTo(TimeSpan.FromSeconds(15)));

        var first = await Run.OfAsync(fp);
        var second = await Run.OfAsync(fp);

        // Independently: /sys/fs/cgroup is a cgroup2 filesystem in unified mode, a tmpfs of v1 hierarchies otherwise.
        var fsType = Sh.Run("stat", "-f", "-c", "%T", "/sys/fs/cgroup");
        var expected = fsType == "cgroup2fs" ? "v2" : "v1";
        Assert.That(first.Response.Detected, Is.True);
        Assert.That(first.Attr("unique.cgroup.mountpoint"), Is.EqualTo("/sys/fs/cgroup"));
        Assert.That(first.Attr("unique.cgroup.version"), Is.EqualTo(expected));
        Assert.That(first.Logged("INFO", "cgroups are available"), Is.True, first.LogText);
        Assert.That(second.Response.Detected, Is.True);
        Assert.That(second.Lines, Is.Empty, "availability is logged when it changes, not every period");
    }

    [Test]
    public void Cgroup_on_this_machine_is_v1()
    {
        // Platform facts: these machines mount v1 controllers separately (cpu, memory, pids, ...).
        var found = CGroupFingerprinter.Detect(MountInfo.ReadSelf(), File.Exists);
        Assume.That(Sh.Run("stat", "-f", "-c", "%T", "/sys/fs/cgroup"), Is.EqualTo("tmpfs"), "not a v1 machine");
        Assert.That(found, Is.EqualTo(new CgroupMount("/sys/fs/cgroup", "v1")));
    }

    [Test]
    public async Task Cpu_reports_frequency_cores_model_and_total_compute()
    {
        var run = await Run.OfAsync(new CpuFingerprinter());

        var cpuinfo = File.ReadAllLines("/proc/cpuinfo");
        var cores = int.Parse(Sh.Run("getconf", "_NPROCESSORS_ONLN"), CultureInfo.InvariantCulture);
        var model = cpuinfo.First(l => l.StartsWith("model name")).Split(':', 2)[1].Trim();
        var mhzText = cpuinfo.First(l => l.StartsWith("cpu MHz")).Split(':', 2)[1].Trim();
        var maxFreq = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
        var mhz = File.Exists(maxFreq)
            ? double.Parse(File.ReadAllText(maxFreq).Trim(), CultureInfo.InvariantCulture) / 1000
            : double.Parse(mhzText, CultureInfo.InvariantCulture);

        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Attr("cpu.numcores"), Is.EqualTo(cores.ToString(CultureInfo.InvariantCulture)));
        Assert.That(run.Attr("cpu.modelname"), Is.EqualTo(model));
        Assert.That(run.Attr("cpu.frequency"), Is.EqualTo(Math.Round(mhz).ToString(CultureInfo.InvariantCulture)));
        var total = (long)(cores * mhz);
        Assert.That(run.Attr("cpu.totalcompute"), Is.EqualTo(total.ToString(CultureInfo.InvariantCulture)));
        Assert.That(run.Response.Resources?.CpuShares, Is.EqualTo(total));
        Assert.That(run.Logged("DEBUG", $"detected cpu frequency: MHz={Math.Round(mhz)}"), Is.True, run.LogText);
        Assert.That(run.Logged("DEBUG", $"detected core count: cores={cores}"), Is.True, run.LogText);
    }

    [Test]
    public async Task Cpu_total_compute_can_be_set_by_option()
    {
        var run = await Run.OfAsync(new CpuFingerprinter(), new FingerprintRequest
        {
            Options = new Dictionary<string, string> { [CpuFingerprinter.TotalComputeOption] = "1234" },
        });
        Assert.That(run.Attr("cpu.totalcompute"), Is.EqualTo("1234"));
        Assert.That(run.Response.Resources?.CpuShares, Is.EqualTo(1234));
    }

    [Test]
    public async Task Host_reports_os_kernel_and_hostname()
    {
        var run = await Run.OfAsync(new HostFingerprinter());

        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Attr("kernel.name"), Is.EqualTo("linux"));
        Assert.That(run.Attr("kernel.version"), Is.EqualTo(Sh.Run("uname", "-r")));
        Assert.That(run.Attr("unique.hostname"), Is.EqualTo(Sh.Run("hostname")));

        var osRelease = File.ReadAllLines("/etc/os-release")
            .Where(l => l.Contains('='))
            .ToDictionary(l => l.Split('=', 2)[0], l => l.Split('=', 2)[1].Trim('"'));
        if (osRelease["ID"] == "debian")
        {
            // As Nomad on the reference machine: os.name=debian, os.version=12.11 (debian_version, not VERSION_ID).
            Assert.That(run.Attr("os.name"), Is.EqualTo("debian"));
            Assert.That(run.Attr("os.version"), Is.EqualTo(File.ReadAllLines("/etc/debian_version")[0].Trim()));
        }
        else
        {
            Assert.That(run.Attr("os.name"), Is.EqualTo(osRelease["ID"]));
            Assert.That(run.Attr("os.version"), Is.Not.Empty);
        }
    }

    [Test]
    public async Task Memory_reports_total_bytes_and_megabytes()
    {
        var run = await Run.OfAsync(new MemoryFingerprinter());

        // free -b's "Mem:" total is MemTotal in bytes.
        var memLine = Sh.Run("free", "-b").Split('\n').First(l => l.StartsWith("Mem:"));
        var total = long.Parse(memLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Attr("memory.totalbytes"), Is.EqualTo(total.ToString(CultureInfo.InvariantCulture)));
        Assert.That(run.Response.Resources?.MemoryMB, Is.EqualTo(total / 1024 / 1024));
    }

    [Test]
    public async Task Nomad_reports_the_agents_version_revision_and_address()
    {
        var run = await Run.OfAsync(new NomadFingerprinter(), new FingerprintRequest
        {
            AgentVersion = "0.11.8", AgentRevision = "3c82e0dd10a4c352bb40eee4211bb7b52e0c99c4", HttpAdvertise = "127.0.0.1:4646",
        });
        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Response.Attributes, Is.EquivalentTo(new Dictionary<string, string?>
        {
            ["nomad.version"] = "0.11.8",
            ["nomad.revision"] = "3c82e0dd10a4c352bb40eee4211bb7b52e0c99c4",
            ["nomad.advertise.address"] = "127.0.0.1:4646",
        }));
    }

    [Test]
    public async Task Signal_lists_the_same_signals_as_the_reference_node()
    {
        const string reference = "SIGIOT,SIGKILL,SIGSEGV,SIGBUS,SIGCONT,SIGIO,SIGXCPU,SIGILL,SIGPIPE,SIGPROF,SIGURG,SIGSTOP,SIGTERM,SIGUSR1,SIGABRT,SIGHUP,SIGTRAP,SIGWINCH,SIGALRM,SIGCHLD,SIGFPE,SIGSYS,SIGUSR2,SIGXFSZ,SIGINT,SIGTSTP,SIGTTIN,SIGTTOU,SIGQUIT";
        var run = await Run.OfAsync(new SignalFingerprinter());
        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Attr("os.signals"), Is.EqualTo(reference));

        // Every name is a signal this machine knows (kill -l prints names without SIG; IOT is ABRT's alias).
        var known = Sh.Run("bash", "-c", "kill -l").Split((char[])[' ', '\t', '\n', ')'], StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.StartsWith("SIG")).ToHashSet();
        Assert.That(reference.Split(',').Where(s => s != "SIGIOT"), Is.SubsetOf(known));
    }

    [Test]
    public async Task Storage_measures_the_volume_holding_the_alloc_dir_as_df_does()
    {
        var dir = Directory.CreateTempSubdirectory("fp-storage-").FullName;
        try
        {
            var run = await Run.OfAsync(new StorageFingerprinter(), new FingerprintRequest { AllocDir = dir });

            // df -kP: Filesystem 1024-blocks Used Available Capacity Mounted-on
            var f = Sh.Run("df", "-kP", dir).Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var total = ulong.Parse(f[1], CultureInfo.InvariantCulture) * 1024;
            var free = ulong.Parse(f[3], CultureInfo.InvariantCulture) * 1024;

            Assert.That(run.Response.Detected, Is.True);
            Assert.That(run.Attr("unique.storage.volume"), Is.EqualTo(f[0]));
            Assert.That(run.Attr("unique.storage.bytestotal"), Is.EqualTo(total.ToString(CultureInfo.InvariantCulture)));
            var measuredFree = ulong.Parse(run.Attr("unique.storage.bytesfree"), CultureInfo.InvariantCulture);
            Assert.That((double)measuredFree, Is.EqualTo((double)free).Within(256.0 * 1024 * 1024), "free space moves a little between the two looks");
            Assert.That(run.Response.Resources?.DiskMB, Is.EqualTo((long)(measuredFree / 1024 / 1024)));
            Assert.That(new StorageFingerprinter().Period, Is.Null, "Nomad's storage fingerprint is not periodic");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public async Task Storage_measures_the_nearest_existing_parent_of_an_alloc_dir_not_made_yet()
    {
        var parent = Path.GetTempPath();
        var run = await Run.OfAsync(new StorageFingerprinter(), new FingerprintRequest { AllocDir = Path.Combine(parent, $"not-yet-{Guid.NewGuid():N}", "alloc") });
        var f = Sh.Run("df", "-kP", parent).Split('\n')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(run.Attr("unique.storage.volume"), Is.EqualTo(f[0]));
    }

    [Test]
    public async Task Network_on_loopback_falls_back_to_the_default_speed_with_Nomads_lines()
    {
        var run = await Run.OfAsync(new NetworkFingerprinter(), new FingerprintRequest { NetworkInterface = "lo" });

        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Attr("unique.network.ip-address"), Is.EqualTo("127.0.0.1"));
        var networks = run.Response.Resources?.Networks;
        Assert.That(networks, Is.Not.Null);
        Assert.That(networks![0], Is.EqualTo(new NetworkFingerprint("lo", "127.0.0.1/32", "127.0.0.1", 1000)));
        var hasV6 = Sh.Run("ip", "-6", "-o", "addr", "show", "dev", "lo").Contains("::1/128");
        if (hasV6) Assert.That(networks, Does.Contain(new NetworkFingerprint("lo", "::1/128", "::1", 1000)));

        // Nomad 0.11.8's lines for the same interface (the reference agent log).
        Assert.That(run.Logged("DEBUG", "unable to read link speed: path=/sys/class/net/lo/speed"), Is.True, run.LogText);
        Assert.That(run.Logged("DEBUG", "link speed could not be detected and no speed specified by user, falling back to default speed: mbits=1000"), Is.True, run.LogText);
        Assert.That(run.Logged("DEBUG", "detected interface IP: interface=lo IP=127.0.0.1"), Is.True, run.LogText);
        if (hasV6) Assert.That(run.Logged("DEBUG", "detected interface IP: interface=lo IP=::1"), Is.True, run.LogText);
    }

    [Test]
    public async Task Network_uses_the_configured_speed()
    {
        var run = await Run.OfAsync(new NetworkFingerprinter(), new FingerprintRequest { NetworkInterface = "lo", NetworkSpeed = 250 });
        Assert.That(run.Response.Resources!.Networks!.Select(n => n.MBits), Is.All.EqualTo(250));
        Assert.That(run.Logged("DEBUG", "setting link speed to user configured speed: mbits=250"), Is.True, run.LogText);
    }

    [Test]
    public async Task Network_without_a_configured_interface_takes_the_default_routes()
    {
        // Independently: `ip route show default` → "default via 192.0.2.1 dev eth0".
        var route = Sh.Run("ip", "route", "show", "default");
        var words = route.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var dev = route.Length == 0 ? "lo" : words[Array.IndexOf(words, "dev") + 1];

        var run = await Run.OfAsync(new NetworkFingerprinter());

        Assert.That(run.Response.Detected, Is.True);
        Assert.That(run.Response.Resources!.Networks!.Select(n => n.Device), Is.All.EqualTo(dev));
        var firstV4 = Sh.Run("ip", "-4", "-o", "addr", "show", "dev", dev).Split('\n')[0]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w != "inet").Skip(1).First().Split('/')[0];
        Assert.That(run.Attr("unique.network.ip-address"), Is.EqualTo(firstV4));
        Assert.That(run.Response.Resources.Networks![0], Is.EqualTo(new NetworkFingerprint(dev, firstV4 + "/32", firstV4, run.Response.Resources.Networks[0].MBits)));
        Assert.That(run.Response.Resources.Networks[0].MBits, Is.GreaterThan(0));
    }

    [Test]
    public async Task Network_with_an_unknown_interface_fails_as_Nomad()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Run.OfAsync(new NetworkFingerprinter(), new FingerprintRequest { NetworkInterface = "nosuch0" }));
        Assert.That(ex!.Message, Does.Contain("nosuch0"));
    }

    [Test]
    public void Network_addresses_are_printed_as_Go_prints_them_and_link_local_only_as_a_last_resort()
    {
        var log = new FingerprintLog((_, _) => { });
        var lla = System.Net.IPAddress.Parse("fe80::1%2");
        var only = NetworkFingerprinter.NetworkResources("eth9", 10, [lla], disallowLinkLocal: false, log);
        Assert.That(only, Is.EqualTo(new[] { new NetworkFingerprint("eth9", "fe80::1/128", "fe80::1", 10) }));
        Assert.That(NetworkFingerprinter.NetworkResources("eth9", 10, [lla], disallowLinkLocal: true, log), Is.Empty);
        var mixed = NetworkFingerprinter.NetworkResources("eth9", 10, [System.Net.IPAddress.Parse("10.1.2.3"), lla], false, log);
        Assert.That(mixed.Select(n => n.IP), Is.EqualTo(new[] { "10.1.2.3" }));
        Assert.That(System.Net.IPAddress.Parse("169.254.1.1").AddressFamily, Is.EqualTo(AddressFamily.InterNetwork));
        Assert.That(NetworkFingerprinter.IsLinkLocal(System.Net.IPAddress.Parse("169.254.1.1")), Is.True);
    }

    [Test]
    public void Default_route_is_read_from_the_route_table()
    {
        const string table = """
            Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
            eth1	00000000	010200C0	0003	0	0	600	00000000	0	0	0
            eth0	00000000	010200C0	0003	0	0	100	00000000	0	0	0
            eth0	000200C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
            """;
        Assert.That(NetworkFingerprinter.DefaultRouteInterface(table), Is.EqualTo("eth0"));
        Assert.That(NetworkFingerprinter.DefaultRouteInterface(table.Split('\n')[0]), Is.Null);
    }
}
