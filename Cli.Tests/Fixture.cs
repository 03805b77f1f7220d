using System.Text.Json;
using Nomad.Cli.Api;

namespace Nomad.Cli.Tests;

/// <summary>Reads the captured Nomad outputs under Fixtures/ (see Fixtures/README.md).</summary>
public static class Fixture
{
    public static string Text(string relativePath) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", relativePath));

    public static JsonElement Json(string relativePath)
    {
        using var document = JsonDocument.Parse(Text(relativePath));
        return document.RootElement.Clone();
    }

    /// <summary>Decodes a captured API answer the way the CLI's client does.</summary>
    public static T Decode<T>(string relativePath) => Json(relativePath).Deserialize<T>(NomadJson.Options)!;
}
