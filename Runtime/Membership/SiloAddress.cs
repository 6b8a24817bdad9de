namespace OrleansIm.Runtime.Membership;

/// <summary>
/// Where a silo listens for other silos, plus its generation (start time in ms): a restarted silo on the
/// same endpoint is a different silo, so votes and ownership never carry over between incarnations.
/// </summary>
public sealed record SiloAddress(string Host, int Port, long Generation)
{
    public string Endpoint => $"{Host}:{Port}";

    public override string ToString() => $"{Host}:{Port}@{Generation}";

    public static SiloAddress Parse(string value)
    {
        var at = value.LastIndexOf('@');
        var colon = at > 0 ? value.LastIndexOf(':', at) : -1;
        if (at <= 0 || colon <= 0
            || !int.TryParse(value.AsSpan(colon + 1, at - colon - 1), out var port)
            || !long.TryParse(value.AsSpan(at + 1), out var generation))
            throw new FormatException($"'{value}' is not a silo address (host:port@generation).");
        return new SiloAddress(value[..colon], port, generation);
    }
}
