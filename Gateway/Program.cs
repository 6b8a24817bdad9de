// Gateway-only node: `dotnet run --project Gateway -- --ConnectionStrings:Postgres=... --Gateway:AppKey=... --Gateway:JwtSecret=...`
OrleansIm.Gateway.GatewayNode.Build(args).Run();
