using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

public sealed class GoDurationTextTests
{
    [TestCase("10s", 10_000)]
    [TestCase("1m30s", 90_000)]
    [TestCase("500ms", 500)]
    [TestCase("24h", 86_400_000)]
    [TestCase("1.5s", 1_500)]
    [TestCase("0", 0)]
    public void Parses(string text, long ms)
    {
        Assert.That(GoDurationText.TryParse(text, out var d), Is.True);
        Assert.That(d, Is.EqualTo(TimeSpan.FromMilliseconds(ms)));
    }

    [TestCase("")]
    [TestCase("10")]
    [TestCase("s")]
    [TestCase("10x")]
    public void Rejects(string text) => Assert.That(GoDurationText.TryParse(text, out _), Is.False);

    [TestCase(90_000, "1m30s")]
    [TestCase(86_400_000, "24h0m0s")]
    [TestCase(500, "500ms")]
    [TestCase(19_056, "19.056s")]
    [TestCase(0, "0s")]
    public void Formats_as_go(long ms, string text) => Assert.That(GoDurationText.Format(TimeSpan.FromMilliseconds(ms)), Is.EqualTo(text));
}
