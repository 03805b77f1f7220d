using Nomad.Agent.Plugins;

namespace Nomad.Agent.Tests.Plugins;

public sealed class PluginDiscoveryTests
{
    private string _root = "";

    [SetUp]
    public void MakeRoot() => _root = Directory.CreateTempSubdirectory("plugins-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    private string Plugin(string folder, string manifest, string? entry = "run")
    {
        var dir = Path.Combine(_root, folder);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "plugin.json"), manifest);
        if (entry is not null) File.WriteAllText(Path.Combine(dir, entry), "#!/bin/sh\n");
        return dir;
    }

    [Test]
    public void Finds_a_good_plugin()
    {
        Plugin("a", """{ "name": "a", "type": "driver", "version": "1.2.3", "entry": "run", "args": ["-x"] }""");
        var result = PluginDiscovery.Scan([_root]);
        Assert.That(result.Errors, Is.Empty);
        var p = result.Plugins.Single();
        Assert.That((p.Manifest.Name, p.Manifest.Version, p.IsDriver, p.Manifest.Args.Single()), Is.EqualTo(("a", "1.2.3", true, "-x")));
        Assert.That(p.EntryPath, Is.EqualTo(Path.Combine(_root, "a", "run")));
    }

    [TestCase("{ not json", "invalid JSON")]
    [TestCase("""{ "type": "driver", "entry": "run" }""", "name: required")]
    [TestCase("""{ "name": "x", "type": "gadget", "entry": "run" }""", "type: must be \"driver\" or \"fingerprint\", got \"gadget\"")]
    [TestCase("""{ "name": "x", "type": "driver" }""", "entry: required")]
    [TestCase("""{ "name": "x", "type": "driver", "entry": "missing" }""", "entry: \"missing\" does not exist")]
    public void A_bad_manifest_is_one_error_naming_the_file_and_the_others_still_load(string manifest, string problem)
    {
        Plugin("bad", manifest);
        Plugin("good", """{ "name": "good", "type": "fingerprint", "entry": "run" }""");
        var result = PluginDiscovery.Scan([_root]);
        Assert.That(result.Errors.Single(), Does.StartWith($"{Path.Combine(_root, "bad", "plugin.json")}: {problem}"));
        Assert.That(result.Plugins.Select(p => p.Manifest.Name), Is.EqualTo(new[] { "good" }));
    }

    [Test]
    public void A_later_root_overrides_a_plugin_of_the_same_name_and_folders_without_manifest_are_ignored()
    {
        var other = Directory.CreateTempSubdirectory("plugins-").FullName;
        try
        {
            Plugin("x", """{ "name": "x", "type": "driver", "version": "1", "entry": "run" }""");
            Directory.CreateDirectory(Path.Combine(_root, "not-a-plugin"));
            var dir = Path.Combine(other, "x2");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "plugin.json"), """{ "name": "x", "type": "driver", "version": "2", "entry": "run" }""");
            File.WriteAllText(Path.Combine(dir, "run"), "");
            var result = PluginDiscovery.Scan([_root, other, "/does/not/exist"]);
            Assert.That(result.Plugins.Single().Manifest.Version, Is.EqualTo("2"));
        }
        finally { Directory.Delete(other, recursive: true); }
    }

    [Test]
    public async Task The_watcher_reports_added_changed_and_removed_plugins()
    {
        var added = new List<string>();
        var removed = new List<string>();
        await using var watcher = new PluginWatcher([_root], TimeSpan.FromHours(1), Logging.Logger.Null)
        {
            Added = p => { added.Add(p.Manifest.Name + "@" + p.Manifest.Version); return Task.CompletedTask; },
            Removed = n => { removed.Add(n); return Task.CompletedTask; },
        };
        await watcher.StartAsync();
        Assert.That(added, Is.Empty);
        var dir = Plugin("p", """{ "name": "p", "type": "driver", "version": "1", "entry": "run" }""");
        await watcher.ScanAsync();
        await watcher.ScanAsync();
        Assert.That(added, Is.EqualTo(new[] { "p@1" }), "reported once");
        File.WriteAllText(Path.Combine(dir, "plugin.json"), """{ "name": "p", "type": "driver", "version": "2", "entry": "run" }""");
        File.SetLastWriteTimeUtc(Path.Combine(dir, "plugin.json"), DateTime.UtcNow.AddMinutes(1));
        await watcher.ScanAsync();
        Assert.That(added, Is.EqualTo(new[] { "p@1", "p@2" }));
        Directory.Delete(dir, recursive: true);
        await watcher.ScanAsync();
        Assert.That(removed, Is.EqualTo(new[] { "p" }));
    }
}
