using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>formatdate and timeadd, from their documentation.</summary>
[TestFixture]
public sealed class DateTimeFunctionTests
{
    public static readonly Row[] Results =
    [
        new("formatdate", [S("DD MMM YYYY hh:mm ZZZ"), S("2018-01-02T23:12:01Z")], "\"02 Jan 2018 23:12 UTC\""),
        new("formatdate", [S("EEEE, DD-MMM-YY hh:mm:ss ZZZ"), S("2018-01-02T23:12:01Z")], "\"Tuesday, 02-Jan-18 23:12:01 UTC\""),
        new("formatdate", [S("EEE, DD MMM YYYY hh:mm:ss ZZZ"), S("2018-01-02T23:12:01-08:00")], "\"Tue, 02 Jan 2018 23:12:01 -0800\""),
        new("formatdate", [S("MMM DD, YYYY"), S("2018-01-02T23:12:01Z")], "\"Jan 02, 2018\""),
        new("formatdate", [S("HH:mmaa"), S("2018-01-02T23:12:01Z")], "\"11:12pm\""),
        new("formatdate", [S("H AA"), S("2018-01-02T00:05:09Z")], "\"12 AM\""),
        new("formatdate", [S("h:m:s D/M"), S("2018-01-02T03:05:09Z")], "\"3:5:9 2/1\""),
        new("formatdate", [S("MMMM"), S("2018-09-02T03:05:09Z")], "\"September\""),
        new("formatdate", [S("Z ZZZZ ZZZZZ"), S("2018-01-02T23:12:01+05:30")], "\"+05:30 +0530 +05:30\""),
        new("formatdate", [S("Z"), S("2018-01-02T23:12:01Z")], "\"Z\""),
        new("formatdate", [S("'Date:' YYYY-MM-DD 'o''clock' ''"), S("2018-01-02T23:12:01Z")], "\"Date: 2018-01-02 o'clock '\""),
        new("formatdate", [S("YYYY.MM.DD — é"), S("2018-01-02T23:12:01.123456Z")], "\"2018.01.02 — é\""),
        new("formatdate", [S(""), S("2018-01-02T23:12:01Z")], "\"\""),
        new("formatdate", [S("EEE, MMM D ''YY"), S("2006-01-02T15:04:05Z")], "\"Mon, Jan 2 '06\""),
        new("formatdate", [S("H 'o''clock' AA"), S("2006-01-02T15:04:05Z")], "\"3 o'clock PM\""),
        new("formatdate", [S("hh:mm:ssZZZZ|ZZZZZ|Z"), S("2006-01-02T15:04:05Z")], "\"15:04:05+0000|+00:00|Z\""),
        new("formatdate", [S("YYYY-MM-DD'T'hh:mm:ssZ"), S("2006-01-02T15:04:05Z")], "\"2006-01-02T15:04:05Z\""),
        new("timeadd", [S("2017-11-22T00:00:00Z"), S("10m")], "\"2017-11-22T00:10:00Z\""),
        new("timeadd", [S("2017-11-22T00:00:00Z"), S("-1h30m")], "\"2017-11-21T22:30:00Z\""),
        new("timeadd", [S("2017-11-22T23:59:59+02:00"), S("1.5s")], "\"2017-11-23T00:00:00+02:00\""),
        new("timeadd", [S("2017-11-22T00:00:00.5Z"), S("500ms")], "\"2017-11-22T00:00:01Z\""),
        new("timeadd", [S("2017-11-22T00:00:00+00:00"), S("0")], "\"2017-11-22T00:00:00Z\""),
        new("timeadd", [S("2020-02-28T12:00:00Z"), S("24h")], "\"2020-02-29T12:00:00Z\""),
    ];

    [TestCaseSource(nameof(Results))]
    public void Result(Row row) => Assert.That(Run(row.Function, row.Args), Is.EqualTo(row.Expected));

    public static readonly Row[] Errors =
    [
        new("formatdate", [S("YYY"), S("2018-01-02T23:12:01Z")], "Invalid value for \"format\" parameter: invalid date format verb \"YYY\": year must either be \"YY\" or \"YYYY\"."),
        new("formatdate", [S("Q"), S("2018-01-02T23:12:01Z")], "Invalid value for \"format\" parameter: invalid date format verb \"Q\"."),
        new("formatdate", [S("'open"), S("2018-01-02T23:12:01Z")], "Invalid value for \"format\" parameter: unterminated literal '."),
        new("formatdate", [S("YYYY"), S("2018-01-02")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: missing required time introducer 'T'."),
        new("formatdate", [S("YYYY"), S("2018-01-02T23:12:01")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string before UTC offset."),
        new("formatdate", [S("YYYY"), S("2018-1-02T23:12:01Z")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \"1-02T23:12:01Z\" as month."),
        new("formatdate", [S("YYYY"), S("2018-01-02T23:12:01Zjunk")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \"junk\" as timestamp segment."),
        new("formatdate", [S("YYYY"), S("2017-13-02T00:00:00Z")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \"-02T00:00:00Z\" as month."),
        new("formatdate", [S("YYYY"), S("2017-01-02T26:00:00Z")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \":00:00Z\" as hour."),
        new("formatdate", [S("YYYY"), S("2017-02-31T00:00:00Z")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: day out of range."),
        new("formatdate", [S("YYYY"), S("2-12-02T00:00:00Z")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \"-02T00:00:00Z\" as year."),
        new("formatdate", [S("YYYY"), S("\"2017-12-02T00:00:00Z\"")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: cannot use \"\\\"2017-12-02T00:00:00Z\\\"\" as year."),
        new("formatdate", [S("YYYY"), S("")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string before year."),
        new("formatdate", [S("YYYY"), S("2017:01:02")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: found \":01:02\" where \"-\" is expected."),
        new("formatdate", [S("YYYY"), S("2017")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string where \"-\" is expected."),
        new("formatdate", [S("YYYY"), S("2017-01-02T")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: end of string before hour."),
        new("formatdate", [S("YYYY"), S("2017-12-02t00:00:00Z")], "Invalid value for \"time\" parameter: not a valid RFC3339 timestamp: missing required time introducer 'T'."),
        new("formatdate", [S("A"), S("2018-01-02T23:12:01Z")], "Invalid value for \"format\" parameter: invalid date format verb \"A\": must be \"AA\"."),
        new("formatdate", [S("'"), S("2018-01-02T23:12:01Z")], "Invalid value for \"format\" parameter: unterminated literal '."),
        new("timeadd", [S("2017-11-22T00:00:00Z"), S("1d")], "Call to function \"timeadd\" failed: time: unknown unit \"d\" in duration \"1d\"."),
        new("timeadd", [S("2017-11-22T00:00:00Z"), S("10")], "Call to function \"timeadd\" failed: time: missing unit in duration \"10\"."),
        new("timeadd", [S("2017-11-22T00:00:00Z"), S("")], "Call to function \"timeadd\" failed: time: invalid duration \"\"."),
        new("timeadd", [S("yesterday"), S("1h")], "Call to function \"timeadd\" failed: not a valid RFC3339 timestamp: cannot use \"yesterday\" as year."),
    ];

    [TestCaseSource(nameof(Errors))]
    public void Error(Row row) => Assert.That(Fails(row.Function, row.Args).Message, Is.EqualTo(row.Expected));
}
