namespace Nomad.Drivers.Exec.Tests;

/// <summary>Points the shared driver harness at nomad-driver-exec before any test runs.</summary>
[SetUpFixture]
public sealed class Setup
{
    [OneTimeSetUp]
    public void UseExecDriver() =>
        Binaries.Under = new("Exec", "nomad-driver-exec", "exec", "NOMAD_EXEC_DRIVER", new { });
}
