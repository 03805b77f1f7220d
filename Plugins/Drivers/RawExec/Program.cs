return await Nomad.Contracts.DriverServer.RunAsync(host => new Nomad.Drivers.RawExec.RawExecDriver(host));
