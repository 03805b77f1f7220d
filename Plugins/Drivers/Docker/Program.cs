return await Nomad.Contracts.DriverServer.RunAsync(host => new Nomad.Drivers.Docker.DockerDriver(host));
