return await Nomad.Contracts.DriverServer.RunAsync(host => new Nomad.Drivers.Exec.ExecDriver(host));
