// Standalone node: `dotnet run --project Silo` serves ws://0.0.0.0:9688/ws and the REST API with no configuration.
OrleansIm.Silo.StandaloneNode.Build(args).Run();
