namespace OrleansIm.Runtime.Membership;

/// <summary>
/// A per-silo system target (key = the silo's address): answered by the runtime of that silo itself, never
/// placed by hashing and never activated. Membership probes call <see cref="Ping"/>.
/// </summary>
[GrainType(GrainTypeName)]
public interface ISiloControl : IGrainWithStringKey
{
    public const string GrainTypeName = "sys.silocontrol";

    Task Ping();
}
