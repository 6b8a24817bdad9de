using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Admin;

/// <summary>
/// The registered gateways (in memory; see <see cref="IGatewayDirectoryGrain"/>). Reentrant: asking every gateway takes
/// up to their 5 s response timeout, and registrations must not wait behind that; the table is only touched between awaits.
/// </summary>
[GrainType("gatewaydirectory"), Reentrant]
public sealed class GatewayDirectoryGrain(ILogger<GatewayDirectoryGrain> logger) : Grain, IGatewayDirectoryGrain
{
    private static readonly IReadOnlyDictionary<string, int> NoCounts = new Dictionary<string, int>();

    private readonly Dictionary<string, Registration> _gateways = new(StringComparer.Ordinal);

    public Task Register(string gateway, IGatewayObserver observer, TimeSpan expiry)
    {
        ArgumentException.ThrowIfNullOrEmpty(gateway);
        ArgumentNullException.ThrowIfNull(observer);
        _gateways[gateway] = new Registration(observer, DateTime.UtcNow + expiry);
        // Kept alive while gateways are registered: collecting it would forget them until their next renewal.
        DelayDeactivation(expiry);
        return Task.CompletedTask;
    }

    public Task Unregister(string gateway)
    {
        _gateways.Remove(gateway);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<GatewayLoad>> GetLoads()
    {
        var gateways = Live();
        var loads = await Task.WhenAll(gateways.Select(async g =>
        {
            try
            {
                return await g.Value.Observer.GetLoad();
            }
            catch (Exception e)
            {
                Drop(g.Key, g.Value, e);
                return new GatewayLoad(g.Key, Reachable: false, 0, 0, NoCounts, NoCounts);
            }
        }));
        return loads;
    }

    public async Task<IReadOnlyList<GatewayBroadcast>> Broadcast(ClientEvent clientEvent)
    {
        ArgumentNullException.ThrowIfNull(clientEvent);
        var gateways = Live();
        var results = await Task.WhenAll(gateways.Select(async g =>
        {
            try
            {
                return new GatewayBroadcast(g.Key, Reachable: true, await g.Value.Observer.Broadcast(clientEvent));
            }
            catch (Exception e)
            {
                Drop(g.Key, g.Value, e);
                return new GatewayBroadcast(g.Key, Reachable: false, 0);
            }
        }));
        return results;
    }

    private List<KeyValuePair<string, Registration>> Live()
    {
        var now = DateTime.UtcNow;
        foreach (var expired in _gateways.Where(g => g.Value.ExpiresAt < now).Select(g => g.Key).ToList())
        {
            logger.LogInformation("Gateway {Gateway} did not renew its registration; forgetting it.", expired);
            _gateways.Remove(expired);
        }
        return _gateways.ToList();
    }

    /// <summary>A gateway that does not answer is gone (or cut off); it registers again if it comes back.</summary>
    private void Drop(string gateway, Registration registration, Exception failure)
    {
        logger.LogWarning(failure, "Gateway {Gateway} did not answer; forgetting it until it registers again.", gateway);
        // Only if it was not renewed meanwhile with a new observer.
        if (_gateways.TryGetValue(gateway, out var current) && ReferenceEquals(current, registration)) _gateways.Remove(gateway);
    }

    private sealed record Registration(IGatewayObserver Observer, DateTime ExpiresAt);
}
