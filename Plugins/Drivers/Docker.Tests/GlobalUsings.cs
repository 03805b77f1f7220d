global using NUnit.Framework;
global using Nomad.Contracts;
global using Nomad.Drivers.RawExec.Tests.Harness;
global using TaskStatus = Nomad.Contracts.TaskStatus;
