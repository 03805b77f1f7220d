using Nomad.Agent.Jobspec;

namespace Nomad.Agent.Tests.Jobspec;

[TestFixture]
public sealed class UnsupportedStanzasTests
{
    private static IReadOnlyList<string> Find(string body, bool canonicalize) =>
        UnsupportedStanzas.Find(JobFile.Parse($"job \"web\" {{\n  datacenters = [\"dc1\"]\n{body}\n}}\n", "j.nomad", new JobFileOptions(), canonicalize));

    [TestCase(true)]
    [TestCase(false)]
    public void WhatStructsHoldsIsNotListedEvenOnceCanonicalized(bool canonicalize)
    {
        Assert.That(Find("""
              update {
                max_parallel = 2
              }
              constraint {
                distinct_hosts = true
              }
              parameterized {
                meta_required = ["x"]
              }
              group "web" {
                count = 2
                restart {
                  attempts = 1
                }
                network {
                  port "http" {}
                }
                task "app" {
                  driver = "raw_exec"
                  env = { A = "1" }
                  dispatch_payload {
                    file = "input.txt"
                  }
                  resources {
                    cpu = 200
                  }
                }
              }
            """, canonicalize), Is.Empty);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void AffinityAndSpreadAreScoredSoNotRefused(bool canonicalize)
    {
        Assert.That(Find("""
              affinity {
                attribute = "${node.datacenter}"
                value     = "dc1"
              }
              spread {
                attribute = "${node.datacenter}"
                target "dc1" {
                  percent = 70
                }
              }
              group "web" {
                affinity {
                  attribute = "${meta.rack}"
                  value     = "r1"
                  weight    = -50
                }
                spread {
                  attribute = "${attr.rack}"
                }
                task "app" {
                  driver = "raw_exec"
                  affinity {
                    attribute = "${attr.kernel.name}"
                    value     = "linux"
                  }
                }
              }
            """, canonicalize), Is.Empty);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void EachStanzaIsNamedWhereItIsWritten(bool canonicalize)
    {
        Assert.That(Find("""
              group "web" {
                update {
                  canary = 1
                }
                service {
                  port = "http"
                }
                volume "data" {
                  type = "host"
                  source = "data"
                }
                volume "disk" {
                  type            = "csi"
                  source          = "ebs-1"
                  access_mode     = "single-node-writer"
                  attachment_mode = "file-system"
                }
                task "app" {
                  template {
                    data = "x"
                    destination = "local/x"
                  }
                  resources {
                    memory_max = 512
                  }
                }
              }
            """, canonicalize), Is.EqualTo(new[]
        {
            "group \"web\" volume (type csi)",
            "group \"web\" update",
            "group \"web\" service",
            "group \"web\" task \"app\" resources memory_max",
        }));
    }

    [Test]
    public void TheStructsParserRefusesThemInsteadOfDroppingThem()
    {
        var e = Assert.Throws<JobspecException>(() => JobspecParser.Parse(
            "job \"web\" {\n  datacenters = [\"dc1\"]\n  group \"g\" {\n    service {}\n    task \"t\" {\n      driver = \"raw_exec\"\n    }\n  }\n}\n", "web.nomad"))!;
        Assert.That(e.Problems, Is.EqualTo(new[] { "web.nomad: group \"g\" service is not supported yet" }));
    }
}
