namespace Nomad.Drivers.Docker.Tests;

/// <summary>Points the shared driver harness at nomad-driver-docker before any test runs.</summary>
[SetUpFixture]
public sealed class Setup
{
    [OneTimeSetUp]
    public void UseDockerDriver() =>
        Binaries.Under = new("Docker", "nomad-driver-docker", "docker", "NOMAD_DOCKER_DRIVER", new { });
}
