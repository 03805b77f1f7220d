global using NUnit.Framework;
global using Nomad.Contracts;
