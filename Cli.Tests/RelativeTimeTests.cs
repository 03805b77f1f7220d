using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>Nomad's prettyTimeDiff: the two largest non-zero units, rounded to the second.</summary>
public class RelativeTimeTests
{
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    [TestCase(10, "10s ago")]
    [TestCase(0, "0s ago")]
    [TestCase(60, "1m ago")]
    [TestCase(3 * 3600 + 5 * 60 + 2, "3h5m ago")]
    [TestCase(2 * 86400 + 7, "2d7s ago")]
    [TestCase(45 * 86400, "1mo15d ago")]
    [TestCase(400 * 86400, "1y1mo ago")]
    [TestCase(-90, "1m30s from now")]
    public void Differences_read_as_nomad_prints_them(int secondsAgo, string expected) =>
        Assert.That(RelativeTime.Between(Now.AddSeconds(-secondsAgo), Now), Is.EqualTo(expected));

    [Test]
    public void Rounds_to_the_nearest_second_and_shows_nothing_for_zero()
    {
        Assert.That(RelativeTime.Between(Now.AddMilliseconds(-9600), Now), Is.EqualTo("10s ago"));
        Assert.That(RelativeTime.Ago(0, Now), Is.Empty);
    }
}
