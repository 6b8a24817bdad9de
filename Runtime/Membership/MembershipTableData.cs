namespace OrleansIm.Runtime.Membership;

/// <summary>A consistent read of the whole table: every row with its ETag, and the table version.</summary>
public sealed record MembershipTableData(IReadOnlyList<(MembershipEntry Entry, string ETag)> Rows, TableVersion Version)
{
    public (MembershipEntry Entry, string ETag)? Find(SiloAddress address)
    {
        foreach (var row in Rows)
        {
            if (row.Entry.Address == address) return row;
        }
        return null;
    }

    public IReadOnlyList<SiloAddress> ActiveSilos =>
        Rows.Where(r => r.Entry.Status == SiloStatus.Active).Select(r => r.Entry.Address).ToList();
}
