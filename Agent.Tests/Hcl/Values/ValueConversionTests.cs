using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Tests.Hcl.Values;

/// <summary>cty's conversion rules and messages, where ours once differed.</summary>
[TestFixture]
public sealed class ValueConversionTests
{
    private static string Error(Value v, HclType want) =>
        Assert.Throws<ConversionException>(() => ValueConversion.Convert(v, want))!.Message;

    [Test]
    public void AStringThatIsNotANumberIsToldApartFromAValueOfAnotherKind()
    {
        Assert.That(Error(Value.Of("x"), HclType.Number), Is.EqualTo("a number is required"));
        Assert.That(Error(Value.True, HclType.Number), Is.EqualTo("number required"));
        Assert.That(Error(new ListValue(HclType.String, []), HclType.Number), Is.EqualTo("number required"));
        Assert.That(Error(Value.Of("maybe"), HclType.Bool), Is.EqualTo("a bool is required"));
        Assert.That(Error(Value.Of(1), HclType.Bool), Is.EqualTo("bool required"));
        Assert.That(Error(Value.Of("True"), HclType.Bool), Is.EqualTo("a bool is required; to convert from string, use lowercase \"true\""));
    }

    [Test]
    public void AMismatchNamesTheWantedTypeAsCtyDoes()
    {
        Assert.That(Error(Value.Of("a"), HclType.List(HclType.String)), Is.EqualTo("list of string required"));
        Assert.That(Error(Value.Of("a"), HclType.List(HclType.Dynamic)), Is.EqualTo("list of any single type required"));
        Assert.That(Error(Value.Of("a"), HclType.Map(HclType.Number)), Is.EqualTo("map of number required"));
        Assert.That(Error(Value.Of("a"), HclType.Set(HclType.List(HclType.Dynamic))), Is.EqualTo("set of list of any single type required"));
        Assert.That(Error(new TupleValue([Value.Of("a"), new TupleValue([])]), HclType.List(HclType.Dynamic)),
            Is.EqualTo("all list elements must have the same type"));
    }

    [Test]
    public void AnEmptyTypedCollectionKeepsItsElementTypeAsAnyCollection()
    {
        var empty = new ListValue(HclType.String, []);
        Assert.That(ValueConversion.Convert(empty, HclType.Set(HclType.Dynamic)).Type, Is.EqualTo(HclType.Set(HclType.String)));
        var map = new MapValue(HclType.Number, []);
        Assert.That(ValueConversion.Convert(map, HclType.Map(HclType.Dynamic)).Type, Is.EqualTo(HclType.Map(HclType.Number)));
    }

    [Test]
    public void TuplesOfOneLengthUnifyToATupleAndOfSeveralToAList()
    {
        var pair = new TupleType([HclType.String, HclType.Number]);
        var strings = new TupleType([HclType.String, HclType.String]);
        Assert.That(ValueConversion.Unify([pair, strings]), Is.EqualTo(strings));
        Assert.That(ValueConversion.Unify([pair, new TupleType([HclType.String])]), Is.EqualTo(HclType.List(HclType.String)));
        Assert.That(ValueConversion.Unify([pair, new TupleType([HclType.String, HclType.List(HclType.String)])]), Is.Null);
    }

    [TestCase(1e21, "1000000000000000000000")]
    [TestCase(1e-7, "0.0000001")]
    [TestCase(1.5, "1.5")]
    [TestCase(-0.25, "-0.25")]
    [TestCase(3, "3")]
    [TestCase(0.1, "0.1")]
    public void NumbersBecomeStringsWithoutAnExponentAsCtyWritesThem(double d, string text) =>
        Assert.That(((StringValue)ValueConversion.Convert(Value.Of(d), HclType.String)).Value, Is.EqualTo(text));
}
