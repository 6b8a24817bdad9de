namespace OrleansIm.Gateway.Admin;

/// <summary>
/// The Orleans Dashboard (<c>Admin:Dashboard:*</c>), served by silos only — the standalone node, and cluster silos on
/// their HTTP listener — behind the admin key. Set it alike on every silo: the dashboard collects its figures on each.
/// </summary>
public sealed class AdminDashboardOptions
{
    /// <summary>Off by default; on requires <c>Gateway:AdminKey</c> or the node refuses to start.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where it is served (its page, assets and data API all live under this prefix).</summary>
    public string Path { get; set; } = "/admin/dashboard";

    /// <summary>
    /// Hides the dashboard's live log stream (its "Log Stream" page answers 403). On by default: logs carry user ids and
    /// addresses, and the stream would hold every log line of the silo for any open page.
    /// </summary>
    public bool HideTrace { get; set; } = true;
}
