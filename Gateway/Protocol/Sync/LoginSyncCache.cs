namespace OrleansIm.Gateway.Protocol.Sync;

/// <summary>
/// What the sections of one login sync share, e.g. one load that two sections both read (teams and myTeamMembers).
/// Made per sync by the sync handler; sections run one after another, so it needs no lock.
/// </summary>
public sealed class LoginSyncCache
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    public T GetOrAdd<T>(string key, Func<T> create) where T : notnull
    {
        if (_values.TryGetValue(key, out var value)) return (T)value;
        var created = create();
        _values[key] = created;
        return created;
    }
}
