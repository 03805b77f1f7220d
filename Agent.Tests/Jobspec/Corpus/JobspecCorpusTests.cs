using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nomad.Agent.Jobspec;

namespace Nomad.Agent.Tests.Jobspec.Corpus;

/// <summary>
/// The job file corpus (see README.md beside this file): every <c>good/*.nomad.hcl</c> must read into exactly the
/// API JSON checked in beside it (<c>.json</c> canonicalized, <c>.raw.json</c> as <c>nomad job run -output</c>
/// prints it), and every <c>bad/*.nomad.hcl</c> must be refused with the error its <c>.error.json</c> describes.
/// A mismatch lists every differing JSON path with the expected and the actual value.
/// </summary>
[TestFixture]
public sealed class JobspecCorpusTests
{
    private static string CorpusDir => Path.Combine(TestPaths.TestsDir, "Jobspec", "Corpus");
    private static string GoodDir => Path.Combine(CorpusDir, "good");
    private static string BadDir => Path.Combine(CorpusDir, "bad");

    private static IEnumerable<string> JobFiles(string dir) =>
        Directory.GetFiles(dir, "*.hcl").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static IEnumerable<string> GoodFiles() => JobFiles(GoodDir);

    public static IEnumerable<string> RawFiles() => GoodFiles().Where(f => File.Exists(Sidecar(GoodDir, f, ".raw.json")));

    public static IEnumerable<string> BadFiles() => JobFiles(BadDir);

    /// <summary><c>web.nomad.hcl</c> → <c>web.raw.json</c>: the job file's name without its extensions, plus the suffix.</summary>
    private static string Sidecar(string dir, string jobFile, string suffix)
    {
        string stem = jobFile.EndsWith(".nomad.hcl", StringComparison.Ordinal) ? jobFile[..^".nomad.hcl".Length]
            : Path.GetFileNameWithoutExtension(jobFile);
        return Path.Combine(dir, stem + suffix);
    }

    [Test]
    public void CorpusIsLargeEnough()
    {
        Assert.Multiple(() =>
        {
            Assert.That(GoodFiles().Count(), Is.GreaterThanOrEqualTo(60));
            Assert.That(RawFiles().Count(), Is.GreaterThanOrEqualTo(10));
            Assert.That(BadFiles().Count(), Is.GreaterThanOrEqualTo(10));
            foreach (var f in GoodFiles())
                Assert.That(File.Exists(Sidecar(GoodDir, f, ".json")), $"{f} has no expected .json");
            foreach (var f in BadFiles())
                Assert.That(File.Exists(Sidecar(BadDir, f, ".error.json")), $"{f} has no expected .error.json");
        });
    }

    [Test]
    public void ComparisonListsEveryDifferingPath()
    {
        var expected = JsonNode.Parse("""{"ID": "web", "Count": 3, "Meta": {"a": "1"}, "Tags": ["x", "y"], "Gone": null, "Dur": 5000000000}""");
        var actual = JsonNode.Parse("""{"ID": "web", "Count": 2, "Meta": {"a": "1", "b": "2"}, "Tags": ["x"], "Dur": 5E+9}""");
        var differences = new List<string>();
        Compare("$", expected, actual, differences);
        Assert.That(differences, Is.EquivalentTo(new[]
        {
            "$.Count: expected 3, actual 2",
            "$.Meta.b: not expected, actual \"2\"",
            "$.Tags[1]: expected \"y\", actual is missing (array has 1)",
            "$.Gone: expected null, actual is missing",
        }));
    }

    [TestCaseSource(nameof(GoodFiles))]
    public void Canonicalized(string name) => AssertReadsAs(name, canonicalize: true, ".json");

    [TestCaseSource(nameof(RawFiles))]
    public void AsJobRunOutput(string name) => AssertReadsAs(name, canonicalize: false, ".raw.json");

    /// <summary>
    /// The same job written in HCL's JSON syntax (as hcl2json prints the file: blocks as arrays of objects, one
    /// object level per label, expressions as "${...}") reads into the same job. -hcl1 files are left out: HCL1's
    /// JSON is another syntax.
    /// </summary>
    [TestCaseSource(nameof(GoodFiles))]
    public void InHclJsonSyntax(string name)
    {
        string path = Path.Combine(GoodDir, name);
        var options = LoadOptions(GoodDir, name);
        if (options.Hcl1) Assert.Ignore("an -hcl1 job file");
        string json = Nomad.Agent.Hcl.HclJson.ToJsonString(Nomad.Agent.Hcl.HclParser.Parse(File.ReadAllText(path), path));
        var expected = JsonNode.Parse(File.ReadAllText(Sidecar(GoodDir, name, ".json")));
        JsonObject actual;
        try { actual = JobFile.ParseToApiJson(json, path, options, canonicalize: true); }
        catch (JobspecException e) { throw new AssertionException($"{e.Message}\nin:\n{json}"); }
        var differences = new List<string>();
        Compare("$", expected, actual, differences);
        Assert.That(differences, Is.Empty, () => $"{name} in JSON syntax:\n{json}");
    }

    [TestCaseSource(nameof(BadFiles))]
    public void Refused(string name)
    {
        string path = Path.Combine(BadDir, name);
        var expected = JsonNode.Parse(File.ReadAllText(Sidecar(BadDir, name, ".error.json")))!.AsObject();
        string location = expected["location"]!.GetValue<string>();
        var phrases = expected["contains"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();

        Exception? error = null;
        JsonObject? job = null;
        try
        {
            job = JobFile.ParseToApiJson(File.ReadAllText(path), path, LoadOptions(BadDir, name), canonicalize: true);
        }
        catch (NotImplementedException)
        {
            throw; // a reader not written yet refuses everything; that is no pass
        }
        catch (Exception e)
        {
            error = e;
        }
        Assert.That(error, Is.Not.Null, () => $"{name} was accepted: {job?.ToJsonString()}");
        string message = error!.Message;
        Assert.Multiple(() =>
        {
            // Nomad prints "path/file.nomad.hcl:LINE,COL-ENDCOL: Summary; Detail": the location is the file, the line and the column.
            Assert.That(message, Does.Match(LocationPattern(location)), $"the error does not point at {location}");
            foreach (var phrase in phrases)
                Assert.That(message, Does.Contain(phrase), "the error does not name the problem");
            Assert.That(message, Does.Not.Contain("   at "), "the error carries a stack trace");
        });
    }

    /// <summary><c>bad.nomad.hcl:3,5</c> matches <c>/any/dir/bad.nomad.hcl:3,5:</c> and <c>...:3,5-9:</c>.</summary>
    private static string LocationPattern(string location) =>
        "(^|[/\\s])" + System.Text.RegularExpressions.Regex.Escape(location) + "[-:]";

    private static void AssertReadsAs(string name, bool canonicalize, string suffix)
    {
        string path = Path.Combine(GoodDir, name);
        var expected = JsonNode.Parse(File.ReadAllText(Sidecar(GoodDir, name, suffix)));
        JsonObject actual = JobFile.ParseToApiJson(File.ReadAllText(path), path, LoadOptions(GoodDir, name), canonicalize);

        var differences = new List<string>();
        Compare("$", expected, actual, differences);
        if (differences.Count == 0) return;

        // Keep the whole actual document for whoever fixes the decoder.
        string dump = Path.Combine(TestContext.CurrentContext.WorkDirectory, "jobspec-corpus-actual", Path.GetFileName(Sidecar(GoodDir, name, suffix)));
        Directory.CreateDirectory(Path.GetDirectoryName(dump)!);
        File.WriteAllText(dump, actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Assert.Fail($"{name} ({suffix}) differs in {differences.Count} place(s) (actual written to {dump}):\n" + string.Join("\n", differences));
    }

    /// <summary>
    /// Options sidecar (<c>name.options.json</c>): <c>vars</c> (as <c>-var k=v</c>), <c>varFiles</c> (paths relative to the
    /// job file), <c>env</c> (the environment, for <c>NOMAD_VAR_*</c>), <c>hcl1</c>, <c>allowFileSystem</c> (default true,
    /// as the CLI).
    /// </summary>
    private static JobFileOptions LoadOptions(string dir, string jobFile)
    {
        string file = Sidecar(dir, jobFile, ".options.json");
        if (!File.Exists(file)) return new JobFileOptions { AllowFileSystem = true };
        var o = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        return new JobFileOptions
        {
            Hcl1 = o["hcl1"]?.GetValue<bool>() ?? false,
            AllowFileSystem = o["allowFileSystem"]?.GetValue<bool>() ?? true,
            Vars = Strings(o["vars"]) ?? new Dictionary<string, string>(),
            VarFiles = o["varFiles"]?.AsArray().Select(p => Path.Combine(dir, p!.GetValue<string>())).ToList() ?? [],
            Environment = Strings(o["env"]),
        };
    }

    private static Dictionary<string, string>? Strings(JsonNode? node) =>
        node?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    /// <summary>Adds one line per difference between expected and actual, by JSON path.</summary>
    internal static void Compare(string path, JsonNode? expected, JsonNode? actual, List<string> differences)
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (a.TryGetPropertyValue(key, out var actualValue)) Compare(Child(path, key), value, actualValue, differences);
                    else differences.Add($"{Child(path, key)}: expected {Show(value)}, actual is missing");
                }
                foreach (var (key, value) in a)
                    if (!e.ContainsKey(key)) differences.Add($"{Child(path, key)}: not expected, actual {Show(value)}");
                return;
            case (JsonArray e, JsonArray a):
                for (int i = 0; i < Math.Max(e.Count, a.Count); i++)
                {
                    if (i >= a.Count) differences.Add($"{path}[{i}]: expected {Show(e[i])}, actual is missing (array has {a.Count})");
                    else if (i >= e.Count) differences.Add($"{path}[{i}]: not expected (array should have {e.Count}), actual {Show(a[i])}");
                    else Compare($"{path}[{i}]", e[i], a[i], differences);
                }
                return;
            case (JsonValue e, JsonValue a) when SameScalar(e, a):
                return;
            default:
                differences.Add($"{path}: expected {Show(expected)}, actual {Show(actual)}");
                return;
        }
    }

    private static string Child(string path, string key) =>
        key.All(c => char.IsLetterOrDigit(c) || c == '_') ? $"{path}.{key}" : $"{path}[{JsonSerializer.Serialize(key)}]";

    private static bool SameScalar(JsonValue e, JsonValue a)
    {
        var (ek, ak) = (e.GetValueKind(), a.GetValueKind());
        if (ek != ak) return false;
        return ek switch
        {
            // 5000000000 and 5E+9 are the same number; Go prints whole float64 values without a fraction.
            JsonValueKind.Number => decimal.Parse(e.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                                    == decimal.Parse(a.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
            JsonValueKind.String => e.GetValue<string>() == a.GetValue<string>(),
            _ => true, // true/false: the kind is the value
        };
    }

    private static string Show(JsonNode? node)
    {
        if (node == null) return "null";
        string text = node.ToJsonString();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
