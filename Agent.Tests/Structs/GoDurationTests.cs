using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Structs;

[TestFixture]
public sealed class GoDurationTests
{
    // Cases from Go's time.ParseDuration tests.
    [TestCase("0", 0L)]
    [TestCase("5s", 5_000_000_000L)]
    [TestCase("30s", 30_000_000_000L)]
    [TestCase("1478s", 1_478_000_000_000L)]
    [TestCase("-5s", -5_000_000_000L)]
    [TestCase("+5s", 5_000_000_000L)]
    [TestCase("-0", 0L)]
    [TestCase("+0", 0L)]
    [TestCase("5.0s", 5_000_000_000L)]
    [TestCase("5.6s", 5_600_000_000L)]
    [TestCase("5.s", 5_000_000_000L)]
    [TestCase(".5s", 500_000_000L)]
    [TestCase("1.0s", 1_000_000_000L)]
    [TestCase("1.004s", 1_004_000_000L)]
    [TestCase("100.00100s", 100_001_000_000L)]
    [TestCase("10ns", 10L)]
    [TestCase("11us", 11_000L)]
    [TestCase("12µs", 12_000L)]
    [TestCase("12μs", 12_000L)]
    [TestCase("13ms", 13_000_000L)]
    [TestCase("14s", 14_000_000_000L)]
    [TestCase("15m", 900_000_000_000L)]
    [TestCase("16h", 57_600_000_000_000L)]
    [TestCase("3h30m", 12_600_000_000_000L)]
    [TestCase("10.5s4m", 250_500_000_000L)]
    [TestCase("-2m3.4s", -123_400_000_000L)]
    [TestCase("1h2m3s4ms5us6ns", 3_723_004_005_006L)]
    [TestCase("39h9m14.425s", 140_954_425_000_000L)]
    [TestCase("52763797000ns", 52_763_797_000L)]
    [TestCase("0.3333333333333333333h", 1_200_000_000_000L)]
    [TestCase("9007199254.740993ms", 9_007_199_254_740_993L)]
    [TestCase("9223372036854775807ns", long.MaxValue)]
    [TestCase("-9223372036854775808ns", long.MinValue)]
    [TestCase("0.100000000000000000000h", 360_000_000_000L)]
    public void ParsesLikeGo(string text, long nanoseconds)
    {
        Assert.That(GoDuration.TryParseNanoseconds(text, out long ns), Is.True);
        Assert.That(ns, Is.EqualTo(nanoseconds));
    }

    [TestCase("")]
    [TestCase("3")]
    [TestCase("-")]
    [TestCase("s")]
    [TestCase(".")]
    [TestCase("-.")]
    [TestCase(".s")]
    [TestCase("+.s")]
    [TestCase("1d")]
    [TestCase("10 s")]
    [TestCase("1.2.3s")]
    [TestCase("9223372036854775808ns")]
    [TestCase("9223372036854775.808us")]
    [TestCase("3000000h")]
    public void RejectsWhatGoRejects(string text)
    {
        Assert.That(GoDuration.TryParseNanoseconds(text, out _), Is.False);
        Assert.Throws<FormatException>(() => GoDuration.Parse(text));
    }

    [TestCase(0L, "0s")]
    [TestCase(1L, "1ns")]
    [TestCase(1_100L, "1.1µs")]
    [TestCase(2_200_000L, "2.2ms")]
    [TestCase(3_300_000_000L, "3.3s")]
    [TestCase(500_000_000L, "500ms")]
    [TestCase(90_000_000_000L, "1m30s")]
    [TestCase(4_000_000_000_000L + 5_000_000_000L, "1h6m45s")]
    [TestCase(86_400_000_000_000L, "24h0m0s")]
    [TestCase(19_056_176_492L, "19.056176492s")]
    [TestCase(-90_000_000_000L, "-1m30s")]
    [TestCase(long.MaxValue, "2562047h47m16.854775807s")]
    [TestCase(long.MinValue, "-2562047h47m16.854775808s")]
    public void FormatsLikeGo(long nanoseconds, string text)
    {
        Assert.That(GoDuration.FormatNanoseconds(nanoseconds), Is.EqualTo(text));
    }

    [Test]
    public void TimeSpanRoundTrip()
    {
        Assert.That(GoDuration.Parse("1m30s"), Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(GoDuration.Parse("500ms"), Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(GoDuration.Format(TimeSpan.FromHours(24)), Is.EqualTo("24h0m0s"));
        Assert.That(GoDuration.Format(TimeSpan.FromTicks(190_561_764)), Is.EqualTo("19.0561764s"));
        Assert.That(GoDuration.Format(TimeSpan.Zero), Is.EqualTo("0s"));
        foreach (var s in new[] { "10s", "1m30s", "4h0m0s", "1.5µs", "250ms" })
            Assert.That(GoDuration.Format(GoDuration.Parse(s)), Is.EqualTo(s));
    }
}
