namespace OrleansIm.Silo;

/// <summary>
/// Which node the Silo executable runs (configuration key <c>OrleansIm:Mode</c>): <c>standalone</c> (default:
/// silo + gateway on SQLite, no external service) or <c>silo</c> (a cluster member on PostgreSQL).
/// </summary>
public static class NodeMode
{
    public const string Key = "OrleansIm:Mode";
    public const string Standalone = "standalone";
    public const string Silo = "silo";

    /// <summary>Reads the mode the way the host will: appsettings.json, environment variables, command line.</summary>
    public static string Read(string[] args) =>
        PreviewConfiguration(args)[Key] is { Length: > 0 } mode ? mode.ToLowerInvariant() : Standalone;

    /// <summary>
    /// The configuration the host will see, readable before a host is built — for choices that decide which
    /// host to build (the mode, whether a cluster silo serves HTTP at all).
    /// </summary>
    public static IConfiguration PreviewConfiguration(string[] args) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
}
