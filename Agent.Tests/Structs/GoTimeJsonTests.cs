using System.Text.Json;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Structs;

/// <summary>Go time.Time in JSON: written as Nomad's HTTP codec writes it, read in every form we or Nomad ever wrote.</summary>
public sealed class GoTimeJsonTests
{
    private static readonly JsonSerializerOptions Options = new();

    [TestCase(1796658400130868287L, "2026-12-07T15:46:40.130868287Z")]
    [TestCase(1796658363462880740L, "2026-12-07T15:46:03.46288074Z")]
    [TestCase(1795422680000000000L, "2026-11-23T08:31:20Z")]
    [TestCase(-1L, "1969-12-31T23:59:59.999999999Z")]
    public void Unix_nanoseconds_are_written_as_RFC3339Nano_and_read_back(long nanos, string text)
    {
        var eval = new Evaluation { WaitUntil = nanos };
        var json = JsonSerializer.Serialize(eval, Options);
        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("WaitUntil").GetString(), Is.EqualTo(text));
        Assert.That(JsonSerializer.Deserialize<Evaluation>(json, Options)!.WaitUntil, Is.EqualTo(nanos));
    }

    [TestCase("null", 0L)]
    [TestCase("\"0001-01-01T00:00:00Z\"", 0L)]
    [TestCase("1796658400130868287", 1796658400130868287L)]
    [TestCase("\"2026-12-07T16:46:40.130868287+01:00\"", 1796658400130868287L)]
    [TestCase("\"2026-12-07T15:46:40.1Z\"", 1796658400100000000L)]
    [TestCase("\"2026-12-07T15:46:40\"", 1796658400000000000L)]
    public void Every_form_reads_as_Unix_nanoseconds(string value, long nanos) =>
        Assert.That(JsonSerializer.Deserialize<Evaluation>($$"""{"WaitUntil": {{value}}}""", Options)!.WaitUntil, Is.EqualTo(nanos));

    [Test]
    public void Unset_times_are_null()
    {
        var json = JsonDocument.Parse(JsonSerializer.Serialize(new TaskState(), Options)).RootElement;
        Assert.That(json.GetProperty("StartedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        json = JsonDocument.Parse(JsonSerializer.Serialize(new Evaluation(), Options)).RootElement;
        Assert.That(json.GetProperty("WaitUntil").ValueKind, Is.EqualTo(JsonValueKind.Null));
        json = JsonDocument.Parse(JsonSerializer.Serialize(new DriverInfo(), Options)).RootElement;
        Assert.That(json.GetProperty("UpdateTime").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void DateTimes_round_trip_in_UTC_and_Go_zero_time_reads_as_unset()
    {
        var started = new DateTime(2026, 12, 7, 15, 44, 34, DateTimeKind.Utc).AddTicks(2499718);
        var json = JsonSerializer.Serialize(new TaskState { StartedAt = started }, Options);
        Assert.That(json, Does.Contain("\"StartedAt\":\"2026-12-07T15:44:34.2499718Z\""));
        var back = JsonSerializer.Deserialize<TaskState>(json, Options)!;
        Assert.That((back.StartedAt, back.StartedAt!.Value.Kind), Is.EqualTo(((DateTime?)started, DateTimeKind.Utc)));

        var zero = JsonSerializer.Deserialize<TaskState>("""{"StartedAt":"0001-01-01T00:00:00Z","FinishedAt":null}""", Options)!;
        Assert.That((zero.StartedAt, zero.FinishedAt), Is.EqualTo(((DateTime?)null, (DateTime?)null)));
        Assert.That(JsonSerializer.Deserialize<DriverInfo>("""{"UpdateTime":"2026-11-23T08:31:18.672599157Z"}""", Options)!.UpdateTime,
            Is.EqualTo(new DateTime(2026, 11, 23, 8, 31, 18, DateTimeKind.Utc).AddTicks(6725991)));
    }

    [TestCase("\"yesterday\"")]
    [TestCase("\"2026-13-07T15:46:40Z\"")]
    [TestCase("true")]
    public void Anything_else_is_an_error_naming_the_value(string value)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Evaluation>($$"""{"WaitUntil": {{value}}}""", Options));
        Assert.That(e!.Message, Does.Contain("time"));
    }
}
