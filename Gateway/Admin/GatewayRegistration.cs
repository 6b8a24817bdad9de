using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Gateway.Admin;

/// <summary>
/// Keeps this gateway registered with the <see cref="IGatewayDirectoryGrain"/>: at start (once the host has started, so
/// the cluster is reachable), every <see cref="AdminOptions.GatewayRegistrationInterval"/>, and on demand before an admin
/// request counts or broadcasts; unregisters on shutdown. Every gateway registers, with or without an admin key, so a
/// gateway that serves the admin API counts all of them.
/// </summary>
public sealed class GatewayRegistration(
    IGrainFactory grains,
    LocalGateway gateway,
    GatewayIdentity identity,
    IHostApplicationLifetime lifetime,
    IOptions<AdminOptions> options,
    ILogger<GatewayRegistration> logger) : BackgroundService
{
    private IGatewayObserver? _reference;

    private TimeSpan Interval => options.Value.GatewayRegistrationInterval;

    private IGatewayDirectoryGrain Directory => grains.GetGrain<IGatewayDirectoryGrain>(0);

    /// <summary>Registers (or renews) now. Throws when the cluster cannot be reached.</summary>
    public Task RegisterAsync()
    {
        _reference ??= grains.CreateObjectReference<IGatewayObserver>(gateway);
        return Directory.Register(identity.Name, _reference, Interval * 3);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetResult()))
            {
                await started.Task;
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RegisterAsync();
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Registering gateway {Gateway} with the gateway directory failed; retrying in {Interval}.", identity.Name, Interval);
                }
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_reference is null) return;
        try
        {
            await Directory.Unregister(identity.Name).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            // It expires on its own after three intervals.
            logger.LogDebug(e, "Unregistering gateway {Gateway} failed.", identity.Name);
        }
        grains.DeleteObjectReference<IGatewayObserver>(_reference);
    }
}
