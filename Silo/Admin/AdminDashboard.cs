using Orleans.Dashboard;
using OrleansIm.Gateway.Admin;

namespace OrleansIm.Silo.Admin;

/// <summary>
/// The Orleans Dashboard (Microsoft.Orleans.Dashboard) for operators, when <c>Admin:Dashboard:Enabled</c>: every silo
/// collects its figures (<see cref="AddImDashboard"/>), and a silo with an HTTP listener serves the page and its data
/// API under <c>Admin:Dashboard:Path</c>, every endpoint behind the admin key (<see cref="AdminDashboardGate"/>). With
/// Observability:Port it is served only on that port; otherwise on the client port. Gateway-only processes do not serve it.
/// </summary>
public static class AdminDashboard
{
    public const string SectionName = AdminOptions.SectionName + ":Dashboard";

    public static AdminDashboardOptions Read(IConfiguration configuration) =>
        configuration.GetSection(SectionName).Get<AdminDashboardOptions>() ?? new AdminDashboardOptions();

    /// <summary>Adds the dashboard's silo services when enabled; refuses to start when enabled without an admin key or with a bad path.</summary>
    public static ISiloBuilder AddImDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = Read(configuration);
        if (!options.Enabled) return silo;
        if (!AdminCredentials.Resolve(configuration).Enabled)
            throw new InvalidOperationException($"{SectionName}:Enabled is true but {AdminCredentials.SettingName} is not configured: the dashboard is served only behind the admin key.");
        if (!options.Path.StartsWith('/') || options.Path.Length < 2 || options.Path.EndsWith('/'))
            throw new InvalidOperationException($"{SectionName}:Path must start with '/', not end with '/', and not be the root (it is '{options.Path}').");
        silo.AddDashboard(o => o.HideTrace = options.HideTrace);
        return silo;
    }

    /// <summary>Maps the dashboard's route group behind the admin key, when enabled.</summary>
    public static void MapOrleansImDashboard(this WebApplication app)
    {
        var options = Read(app.Configuration);
        if (!options.Enabled) return;
        app.MapOrleansDashboard(options.Path).AddEndpointFilter(app.Services.GetRequiredService<AdminDashboardGate>());
    }
}
