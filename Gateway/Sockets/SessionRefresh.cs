using Microsoft.Extensions.Logging;
using OrleansIm.Gateway.Protocol;
using OrleansIm.Grains.Interfaces;
using Orleans;

namespace OrleansIm.Gateway.Sockets;

/// <summary>
/// The periodic re-registration both dialects run: grain-side device registrations and presence watches
/// expire unless refreshed, and a user grain that moved silos comes up without them.
/// </summary>
public static class SessionRefresh
{
    /// <summary>
    /// Re-registers the device (same connection id = refresh) and re-watches presence. Null if the connection goes on;
    /// else the close code: 4403 the user is now banned or unknown, 4401 the grain no longer knew the connection (a silo
    /// move or an expiry) and its static token has been refreshed or revoked since it connected.
    /// </summary>
    public static async Task<int?> RefreshAsync(IGrainFactory grains, ClientSession session, ILogger logger)
    {
        try
        {
            await grains.GetGrain<IUserGrain>(session.UserId).Connect(session.DeviceSession);
        }
        catch (ImException e) when (e.Code is ImErrorCodes.Banned or ImErrorCodes.UnknownUser)
        {
            return WebSocketCloseCodes.Banned;
        }
        catch (ImException e) when (e.Code == ImErrorCodes.TokenRevoked)
        {
            return WebSocketCloseCodes.TokenRevoked;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Refreshing connection {ConnectionId} of {UserId} failed; will retry", session.ConnectionId, session.UserId);
        }

        foreach (var watched in session.WatchedUsers)
        {
            try
            {
                await grains.GetGrain<IUserGrain>(watched).WatchPresence(session.Observer);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Refreshing presence watch of {Watched} for {ConnectionId} failed", watched, session.ConnectionId);
            }
        }
        return null;
    }

    /// <summary>Best effort on close: a failed cleanup only delays expiry of the grain-side registrations.</summary>
    public static async Task CleanupAsync(IGrainFactory grains, ClientSession session, bool registered, ILogger logger)
    {
        try
        {
            if (registered) await grains.GetGrain<IUserGrain>(session.UserId).Disconnect(session.DeviceType, session.ConnectionId);
            await Task.WhenAll(session.WatchedUsers.Select(id => grains.GetGrain<IUserGrain>(id).UnwatchPresence(session.Observer)));
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Cleanup of connection {ConnectionId} failed", session.ConnectionId);
        }
    }
}
