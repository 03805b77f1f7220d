using static Nomad.Agent.Tests.Http.ShapeFixtures;

namespace Nomad.Agent.Tests.Http;

/// <summary>Our structs' computed helpers (IsTerminal, Index, ...) are not Nomad fields and stay out of the API's JSON.</summary>
public sealed class ComputedFieldsTests
{
    [Test]
    public async Task Helpers_are_not_written()
    {
        await using var api = await ApiServer.StartAsync();
        var alloc = await PlaceAllocAsync(api);

        var written = (await api.GetAsync($"/v1/allocation/{alloc.ID}"))!.AsObject();
        Assert.That(new[] { "IsTerminal", "ClientTerminal", "Index" }.Where(written.ContainsKey), Is.Empty);
        written = (await api.GetAsync($"/v1/node/{TestNode.ID}"))!.AsObject();
        Assert.That(new[] { "IsTerminal", "IsSchedulable" }.Where(written.ContainsKey), Is.Empty);
    }
}
