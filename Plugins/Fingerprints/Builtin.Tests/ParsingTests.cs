namespace Nomad.Fingerprints.Tests;

/// <summary>The parsers on text other machines produce (cgroup v2 hosts, ARM cpuinfo, escaped mount points).</summary>
public sealed class ParsingTests
{
    private const string UnifiedMountInfo = """
        22 1 253:0 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        25 22 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        26 25 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:8 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """;

    private const string HybridMountInfo = """
        22 1 253:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
        30 22 0:26 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        31 30 0:27 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        32 30 0:28 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
        33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
        34 30 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        """;

    [Test]
    public void Cgroup_v2_is_detected_on_a_unified_host()
    {
        var found = CGroupFingerprinter.Detect(MountInfo.Parse(UnifiedMountInfo), p => p == "/sys/fs/cgroup/cgroup.controllers");
        Assert.That(found, Is.EqualTo(new CgroupMount("/sys/fs/cgroup", "v2")));
    }

    [Test]
    public void Cgroup_v1_wins_on_a_hybrid_host_and_name_only_hierarchies_do_not_count()
    {
        var found = CGroupFingerprinter.Detect(MountInfo.Parse(HybridMountInfo), _ => true);
        Assert.That(found, Is.EqualTo(new CgroupMount("/sys/fs/cgroup", "v1")));

        var onlySystemd = string.Join("\n", HybridMountInfo.Split('\n').Take(4));
        var v2 = CGroupFingerprinter.Detect(MountInfo.Parse(onlySystemd), p => p == "/sys/fs/cgroup/unified/cgroup.controllers");
        Assert.That(v2, Is.EqualTo(new CgroupMount("/sys/fs/cgroup/unified", "v2")));
    }

    [Test]
    public void Cgroup_is_not_detected_without_a_cgroup_mount()
    {
        var mounts = MountInfo.Parse(string.Join("\n", UnifiedMountInfo.Split('\n').Take(2)));
        Assert.That(CGroupFingerprinter.Detect(mounts, _ => true), Is.Null);
    }

    [Test]
    public void Mountinfo_unescapes_and_the_longest_mount_point_holds_a_path()
    {
        var mounts = MountInfo.Parse("""
            22 1 253:0 / / rw - ext4 /dev/vda rw
            40 22 0:50 / /data/my\040disk rw - xfs /dev/vdb1 rw
            41 22 0:51 / /data/my\040disk/inner rw - tmpfs tmpfs rw
            """);
        Assert.That(mounts[1].MountPoint, Is.EqualTo("/data/my disk"));
        Assert.That(MountInfo.Holding(mounts, "/data/my disk/x/y")?.Source, Is.EqualTo("/dev/vdb1"));
        Assert.That(MountInfo.Holding(mounts, "/data/my disk/inner")?.Source, Is.EqualTo("tmpfs"));
        Assert.That(MountInfo.Holding(mounts, "/data/my diskette")?.Source, Is.EqualTo("/dev/vda"));
    }

    [Test]
    public void Cpuinfo_prefers_cpufreq_max_and_counts_processors()
    {
        const string arm = """
            processor	: 0
            BogoMIPS	: 50.00
            Features	: fp asimd

            processor	: 1
            BogoMIPS	: 50.00
            """;
        Assert.That(CpuInfo.Parse(arm, "2600000"), Is.EqualTo(new CpuInfo("", 2600, 2)));

        const string x86 = """
            processor	: 0
            model name	: AMD EPYC
            cpu MHz		: 2096.013

            processor	: 1
            model name	: AMD EPYC
            cpu MHz		: 2100.500
            """;
        Assert.That(CpuInfo.Parse(x86, null), Is.EqualTo(new CpuInfo("AMD EPYC", 2096.013, 2)));
    }

    [Test]
    public void Os_release_values_are_unquoted()
    {
        var vars = ProcFiles.ShellVars("ID=ubuntu\nVERSION_ID=\"22.04\"\n# comment\nPRETTY_NAME='Ubuntu 22.04.4 LTS'\n");
        Assert.That(vars["ID"], Is.EqualTo("ubuntu"));
        Assert.That(vars["VERSION_ID"], Is.EqualTo("22.04"));
        Assert.That(vars["PRETTY_NAME"], Is.EqualTo("Ubuntu 22.04.4 LTS"));
    }

    [Test]
    public void Log_lines_have_hclogs_shape()
    {
        Assert.That(FingerprintLog.Format("cgroups are available"), Is.EqualTo("cgroups are available"));
        Assert.That(FingerprintLog.Format("detected interface IP", ("interface", "lo"), ("IP", "127.0.0.1")),
            Is.EqualTo("detected interface IP: interface=lo IP=127.0.0.1"));
        Assert.That(FingerprintLog.Format("error calling ethtool", ("error", "exit status 1: no \"such\" device")),
            Is.EqualTo("error calling ethtool: error=\"exit status 1: no \\\"such\\\" device\""));
    }

    [Test]
    public void Ec2_link_speeds_follow_Nomads_table()
    {
        Assert.That(EnvAwsFingerprinter.LinkSpeed("t2.micro"), Is.EqualTo(70));
        Assert.That(EnvAwsFingerprinter.LinkSpeed("c4.8xlarge"), Is.EqualTo(4000));
        Assert.That(EnvAwsFingerprinter.LinkSpeed("m5.large"), Is.EqualTo(500));
        Assert.That(EnvAwsFingerprinter.LinkSpeed("m5.2xlarge"), Is.EqualTo(1000));
        Assert.That(EnvAwsFingerprinter.LinkSpeed("mystery"), Is.Zero);
    }
}
