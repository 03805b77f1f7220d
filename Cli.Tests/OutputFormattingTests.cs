using System.Text.Json;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>The building blocks of every command's output, checked against what Nomad (and Go) print.</summary>
public class OutputFormattingTests
{
    [Test]
    public void Table_pads_all_but_the_last_column_and_fills_empty_fields()
    {
        var text = Columns.Table([new[] { "ID", "Class", "Status" }, new[] { "abc", "", " ready " }]);

        Assert.That(text, Is.EqualTo("ID   Class   Status\nabc  <none>  ready"));
    }

    [Test]
    public void Plain_table_leaves_empty_fields_empty() =>
        Assert.That(Columns.PlainTable([new[] { "A", "B", "C" }, new[] { "", "x", "" }]), Is.EqualTo("A  B  C\n   x  "));

    [Test]
    public void Key_values_align_on_the_longest_key()
    {
        var text = Columns.KeyValues([("ID", "1"), ("CSI Controllers", ""), ("Driver Status", " docker,exec")]);

        Assert.That(text, Is.EqualTo("ID              = 1\nCSI Controllers = <none>\nDriver Status   = docker,exec"));
    }

    [Test]
    public void Width_counts_characters_not_utf16_units() =>
        Assert.That(Columns.Table([new[] { "µs", "x" }, new[] { "ab", "y" }]), Is.EqualTo("µs  x\nab  y"));

    [TestCase(0UL, "0 B")]
    [TestCase(9UL, "9 B")]
    [TestCase(10UL, "10 B")]
    [TestCase(1536UL, "1.5 KiB")]
    [TestCase(193986560UL, "185 MiB")]
    [TestCase(25276026880UL, "24 GiB")]
    [TestCase(24105UL * 1024 * 1024, "24 GiB")]
    [TestCase(79289UL * 1024 * 1024, "77 GiB")]
    [TestCase(270553174016UL, "252 GiB")]
    [TestCase(23UL * 1024 * 1024 * 1024 + 512UL * 1024 * 1024, "24 GiB")] // 23.5: Go rounds the half to even
    [TestCase(22UL * 1024 * 1024 * 1024 + 512UL * 1024 * 1024, "22 GiB")] // 22.5: to even, down
    public void Byte_sizes_read_as_go_humanize_prints_them(ulong bytes, string expected) =>
        Assert.That(ByteSize.Iec(bytes), Is.EqualTo(expected));

    [Test]
    public void Times_are_iso_8601_to_the_second()
    {
        var time = new DateTime(2026, 11, 23, 8, 31, 18, DateTimeKind.Utc).AddTicks(6725991);

        Assert.That(Timestamps.Format(time, TimeZoneInfo.Utc), Is.EqualTo("2026-11-23T08:31:18Z"));
        Assert.That(Timestamps.Format(default, TimeZoneInfo.Utc), Is.Empty, "the zero time shows as nothing");
    }

    [Test]
    public void Ids_are_cut_to_eight_characters_unless_full()
    {
        Assert.That(Ids.Short("203fa61b-120a-b6bf-3196-d49e1b29948d"), Is.EqualTo("203fa61b"));
        Assert.That(Ids.Display("203fa61b-120a", full: true), Is.EqualTo("203fa61b-120a"));
        Assert.That(Ids.Short("abc"), Is.EqualTo("abc"));
    }

    [Test]
    public void Json_is_indented_by_four_spaces_keeping_order_and_number_text()
    {
        using var document = JsonDocument.Parse("""{"b":1,"a":[99.0,{}],"s":"20.10.24+dfsg1 <x> & é","e":[]}""");

        Assert.That(JsonOutput.Pretty(document.RootElement), Is.EqualTo(
            "{\n" +
            "    \"b\": 1,\n" +
            "    \"a\": [\n" +
            "        99.0,\n" +
            "        {}\n" +
            "    ],\n" +
            "    \"s\": \"20.10.24+dfsg1 \\u003cx\\u003e \\u0026 é\",\n" +
            "    \"e\": []\n" +
            "}"));
    }

    [Test]
    public void Captured_api_json_prints_back_as_captured()
    {
        // The capture is indented by four spaces too, so a round trip must not change it.
        var captured = Fixture.Text("nomad-0.11.8/v1-nodes.json");

        Assert.That(JsonOutput.Pretty(Fixture.Json("nomad-0.11.8/v1-nodes.json")) + "\n", Is.EqualTo(captured));
    }
}
