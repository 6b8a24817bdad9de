namespace OrleansIm.Gateway.Admin;

/// <summary>
/// Admin API and dashboard settings (configuration section <c>Admin</c>). The admin key itself is the secret
/// <c>Gateway:AdminKey</c> (<see cref="AdminCredentials"/>); without it the admin API answers 404 / 4040 and the dashboard
/// cannot be enabled. docs/operations.md § Admin API has the reference.
/// </summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary>
    /// How often a gateway renews its registration with the gateway directory (the cluster-wide online counts and
    /// broadcasts reach gateways through it); a registration expires after three intervals without renewal.
    /// </summary>
    public TimeSpan GatewayRegistrationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Orleans Dashboard (<c>Admin:Dashboard:*</c>).</summary>
    public AdminDashboardOptions Dashboard { get; set; } = new();
}
