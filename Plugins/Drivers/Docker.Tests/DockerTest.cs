using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Nomad.Drivers.Docker.Tests;

/// <summary>
/// Base for tests against the real daemon: ignored (with the reason) when there is none or the test image is
/// missing; a scratch allocation directory per test; and after every test, the check the issue asks for: no
/// container labelled with this test's allocation is left (any that is, is removed and fails the test).
/// </summary>
public abstract class DockerTest
{
    public const string Image = "local/busybox:1";
    public const string Socket = "/var/run/docker.sock";
    protected const string AllocLabel = "com.hashicorp.nomad.alloc_id";

    private readonly List<DriverProcess> _drivers = new();
    protected DockerClient Docker { get; private set; } = null!;
    protected string Root { get; private set; } = "";
    protected string AllocId { get; private set; } = "";
    protected string AllocDir => Path.Combine(Root, AllocId);
    /// <summary>Allocation IDs this test used; the teardown checks that none of their containers remain.</summary>
    protected List<string> AllocIds { get; } = new();

    [SetUp]
    public async Task RequireDaemon()
    {
        if (!File.Exists(Socket)) Assert.Ignore($"no Docker daemon: {Socket} does not exist (scripts/install-test-deps starts one)");
        Docker = new DockerClientConfiguration(new Uri($"unix://{Socket}")).CreateClient();
        try { await Docker.System.PingAsync(); }
        catch (Exception e) { Assert.Ignore($"Docker daemon at {Socket} does not answer: {e.Message}"); }
        try { await Docker.Images.InspectImageAsync(Image); }
        catch (DockerImageNotFoundException) { Assert.Ignore($"test image {Image} missing (scripts/install-test-deps imports it)"); }
        NewAlloc();
    }

    /// <summary>Starts a fresh allocation ID and its directory tree (as the agent builds it).</summary>
    protected void NewAlloc()
    {
        AllocId = Guid.NewGuid().ToString();
        AllocIds.Add(AllocId);
        Root = Path.Combine(Path.GetTempPath(), "docker-tests", TestContext.CurrentContext.Test.Name.Split('(')[0]);
        Directory.CreateDirectory(Path.Combine(AllocDir, "alloc", "logs"));
    }

    [TearDown]
    public async Task NoContainerLeft()
    {
        foreach (var d in _drivers) await d.DisposeAsync();
        _drivers.Clear();
        if (Docker is null) return;
        var left = new List<string>();
        foreach (var alloc in AllocIds)
            foreach (var c in await Ours(alloc))
            {
                left.Add($"{c.Names.FirstOrDefault()} ({c.State})");
                await Docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
            }
        AllocIds.Clear();
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            try { Directory.Delete(Path.Combine(Path.GetTempPath(), "docker-tests", TestContext.CurrentContext.Test.Name.Split('(')[0]), true); }
            catch (IOException) { }
            Assert.That(left, Is.Empty, "containers of this test left behind (docker ps -a)");
        }
        Docker.Dispose();
    }

    /// <summary><c>docker ps -a --filter label=com.hashicorp.nomad.alloc_id=ALLOC</c>.</summary>
    protected async Task<IList<ContainerListResponse>> Ours(string? alloc = null) =>
        await Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            { ["label"] = new Dictionary<string, bool> { [$"{AllocLabel}={alloc ?? AllocId}"] = true } },
        });

    protected async Task<DriverProcess> StartDriver(object? config = null)
    {
        var d = await DriverProcess.StartAsync(true, config ?? new { });
        _drivers.Add(d);
        return d;
    }

    /// <summary>A docker task config as the agent sends it (network_mode none: there is no bridge on our machines).</summary>
    protected TaskConfig Task(string name, object config, Dictionary<string, string>? env = null, long memoryMB = 64, long memoryMaxMB = 0) => new()
    {
        ID = $"{AllocId}/{name}/0",
        Name = name,
        AllocID = AllocId,
        JobName = "job",
        TaskGroupName = "g",
        Env = env ?? new() { ["NOMAD_TASK_NAME"] = name },
        Resources = new TaskResources(100, memoryMB, memoryMaxMB),
        AllocDir = AllocDir,
        TaskDir = Path.Combine(AllocDir, name),
        StdoutPath = Path.Combine(AllocDir, "alloc", "logs", $"{name}.stdout"),
        StderrPath = Path.Combine(AllocDir, "alloc", "logs", $"{name}.stderr"),
        LogMaxFiles = 3,
        LogMaxFileSizeMB = 1,
        DriverConfig = JsonSerializer.SerializeToElement(config),
    };

    /// <summary>A <c>/bin/sh -c SCRIPT</c> task in local/busybox:1 with no network.</summary>
    protected TaskConfig Sh(string name, string script, Dictionary<string, string>? env = null, long memoryMB = 64) =>
        Task(name, new { image = Image, command = "/bin/sh", args = new[] { "-c", script }, network_mode = "none" }, env, memoryMB);

    protected static async Task<TaskHandle> Start(DriverProcess d, TaskConfig t) => await d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, t);

    protected static string ContainerId(TaskHandle h) => h.DriverState.GetProperty("ContainerID").GetString()!;

    protected static string Stdout(TaskConfig t) => Read($"{t.StdoutPath}.0");
    protected static string Stderr(TaskConfig t) => Read($"{t.StderrPath}.0");
    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    protected static async Task Destroy(DriverProcess d, TaskConfig t, bool force = false) =>
        await d.Call(PluginProtocol.Methods.DestroyTask, t.ID, force);
}
