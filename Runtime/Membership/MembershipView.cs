using OrleansIm.Runtime.Placement;

namespace OrleansIm.Runtime.Membership;

/// <summary>An immutable snapshot of the table as one process last read it, with its placement ring.</summary>
public sealed class MembershipView
{
    public MembershipView(MembershipTableData data)
    {
        Data = data;
        Ring = new ConsistentHashRing(data.ActiveSilos);
    }

    public static MembershipView Empty { get; } = new(new MembershipTableData([], new TableVersion(-1)));

    public MembershipTableData Data { get; }

    public long Version => Data.Version.Version;

    public ConsistentHashRing Ring { get; }

    public IReadOnlyList<SiloAddress> ActiveSilos => Ring.Silos;

    public SiloStatus StatusOf(SiloAddress silo) => Data.Find(silo)?.Entry.Status ?? SiloStatus.None;
}
