namespace OrleansIm.Runtime.Hosting;

/// <summary>Runtime settings of a silo (configuration section "Silo"); defaults follow Orleans'.</summary>
public sealed class SiloOptions
{
    /// <summary>
    /// False for a cluster client (a gateway-only process): it hosts no grains and does not join membership;
    /// it reads the table, sends each call to the grain's owner and hosts observers.
    /// </summary>
    public bool HostsGrains { get; set; } = true;

    /// <summary>Unique id of this process among all silos and gateways; observer references carry it.</summary>
    public string SiloId { get; set; } = $"silo-{Guid.NewGuid():N}"[..17];

    /// <summary>How long a caller waits for a response before the call fails with a TimeoutException.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An activation unused for this long is deactivated.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle activations are looked for.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait for one OnDeactivateAsync, and for all of them at shutdown.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
