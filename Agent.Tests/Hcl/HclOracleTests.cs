using System.Text.Json;
using Nomad.Agent.Hcl;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Every file in Hcl/corpus must parse, and our JSON must equal the reference parser's. Without node or
/// the oracle package these tests are ignored (never passed): run scripts/install-test-deps.
/// </summary>
[TestFixture]
public sealed class HclOracleTests
{
    private static string CorpusDir => Path.Combine(TestPaths.TestsDir, "Hcl", "corpus");

    private static Dictionary<string, (JsonElement? Json, string? Error)>? _oracle;
    private static string? _unavailable;

    public static IEnumerable<string> CorpusFiles() =>
        Directory.GetFiles(CorpusDir, "*.hcl").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [OneTimeSetUp]
    public void RunOracleOnce()
    {
        _unavailable = HclOracle.Unavailable();
        if (_unavailable != null) return;
        _oracle = HclOracle.Convert(CorpusFiles().Select(f => Path.Combine(CorpusDir, f)).ToList());
    }

    [Test]
    public void CorpusIsLargeEnough()
    {
        Assert.That(CorpusFiles().Count(), Is.GreaterThanOrEqualTo(20));
    }

    [TestCaseSource(nameof(CorpusFiles))]
    public void MatchesOracle(string name)
    {
        string path = Path.Combine(CorpusDir, name);
        var ours = HclJson.ToJsonString(HclParser.ParseFile(path), indented: false);

        if (_unavailable != null) Assert.Ignore(_unavailable);
        var (json, error) = _oracle![path];
        if (error != null) Assert.Fail($"the reference parser rejects this corpus file: {error}");

        using var doc = JsonDocument.Parse(ours);
        var diff = JsonComparer.FirstDifference(json!.Value, doc.RootElement);
        Assert.That(diff, Is.Null, () => $"{name} differs from hcl2json; ours:\n{ours}");
    }
}
