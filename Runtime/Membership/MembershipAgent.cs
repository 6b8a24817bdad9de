using Microsoft.Extensions.Logging;

namespace OrleansIm.Runtime.Membership;

/// <summary>
/// A silo's membership protocol, in the manner of Orleans: join (Joining → Active), heartbeat its
/// I-am-alive time, re-read the table, probe its successors on the ring of active silos, vote a silo
/// suspect after missed probes, and declare it Dead by a conditional write once enough fresh votes
/// agree. A silo that reads itself as Dead stops. Leaving gracefully goes ShuttingDown → Dead.
/// </summary>
public sealed class MembershipAgent : IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly MembershipOptions _options;
    private readonly Func<SiloAddress, CancellationToken, Task<bool>> _probe;
    private readonly ILogger _logger;
    private readonly Dictionary<SiloAddress, int> _missedProbes = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly object _viewLock = new();
    private MembershipView _view = MembershipView.Empty;
    private SiloStatus _status = SiloStatus.None;
    private volatile bool _leaving;
    private DateTimeOffset _joinedAt = DateTimeOffset.MaxValue;
    private int _allFailedRounds;
    // Silos that answered one of this silo's probes at least once: they are warm, so the new-silo grace no longer covers them.
    private readonly HashSet<SiloAddress> _answered = [];
    private bool _anyProbeSucceeded;

    /// <param name="probe">Pings a silo; true if it answered in time.</param>
    public MembershipAgent(SiloAddress self, string siloName, IMembershipTable table, MembershipOptions options,
        Func<SiloAddress, CancellationToken, Task<bool>> probe, ILogger logger)
    {
        Self = self;
        SiloName = siloName;
        _table = table;
        _options = options;
        _probe = probe;
        _logger = logger;
    }

    public SiloAddress Self { get; }
    public string SiloName { get; }

    public MembershipView View
    {
        get { lock (_viewLock) return _view; }
    }

    public SiloStatus Status => _status;

    /// <summary>Raised (outside any lock) whenever a newer table version is read.</summary>
    public event Action<MembershipView>? ViewChanged;

    /// <summary>Raised once if this silo finds itself declared Dead: it must stop serving.</summary>
    public event Action? DeclaredDead;

    /// <summary>Joins the cluster as Joining, becomes Active, and starts heartbeats, refreshes and probes.</summary>
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        await _table.InitializeAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var entry = new MembershipEntry(Self, SiloName, SiloStatus.Joining, now, now, []);
        await RetryConditionalAsync(async data => await _table.InsertRowAsync(entry, data.Version, cancellationToken), cancellationToken);
        _status = SiloStatus.Joining;
        await SetOwnStatusAsync(SiloStatus.Active, cancellationToken);
        _joinedAt = DateTimeOffset.UtcNow;
        _logger.LogInformation("Silo {Silo} joined the cluster as Active.", Self);

        _loops.Add(RunPeriodicAsync(_options.IAmAlivePeriod, HeartbeatAsync));
        _loops.Add(RunPeriodicAsync(_options.TableRefreshPeriod, ct => RefreshAsync(ct)));
        _loops.Add(RunPeriodicAsync(_options.ProbePeriod, ProbeRoundAsync));
    }

    /// <summary>Marks this silo ShuttingDown (others stop placing grains here) without leaving yet.</summary>
    public Task BeginShutdownAsync(CancellationToken cancellationToken = default) => SetOwnStatusAsync(SiloStatus.ShuttingDown, cancellationToken);

    /// <summary>Leaves: marks this silo Dead and stops the loops.</summary>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        _leaving = true; // our own Dead row, read back, is not a verdict of the cluster
        await StopLoopsAsync();
        if (_status is SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Joining)
            await SetOwnStatusAsync(SiloStatus.Dead, cancellationToken);
    }

    /// <summary>Reads the table now and publishes the view if it changed.</summary>
    public async Task<MembershipView> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var data = await _table.ReadAllAsync(cancellationToken);
        return Publish(data);
    }

    public async ValueTask DisposeAsync()
    {
        await StopLoopsAsync();
        _stopping.Dispose();
    }

    private MembershipView Publish(MembershipTableData data)
    {
        MembershipView view;
        lock (_viewLock)
        {
            if (data.Version.Version <= _view.Version) return _view;
            _view = view = new MembershipView(data);
        }

        var own = data.Find(Self);
        if (own?.Entry.Status == SiloStatus.Dead && _status != SiloStatus.Dead && !_leaving)
        {
            _status = SiloStatus.Dead;
            _logger.LogError("Silo {Silo} was declared dead by the cluster; it must stop.", Self);
            _stopping.Cancel();
            DeclaredDead?.Invoke();
        }
        ViewChanged?.Invoke(view);
        return view;
    }

    private async Task SetOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        await RetryConditionalAsync(async data =>
        {
            if (data.Find(Self) is not { } row) throw new InvalidOperationException($"Silo {Self} has no membership row.");
            if (row.Entry.Status == SiloStatus.Dead && status != SiloStatus.Dead)
                throw new InvalidOperationException($"Silo {Self} was declared dead and cannot become {status}.");
            return await _table.UpdateRowAsync(row.Entry with { Status = status, IAmAliveTime = DateTimeOffset.UtcNow }, row.ETag, data.Version, cancellationToken);
        }, cancellationToken);
        _status = status;
    }

    /// <summary>Re-reads and retries a conditional write until it applies (another writer got in first).</summary>
    private async Task RetryConditionalAsync(Func<MembershipTableData, Task<bool>> write, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            if (await write(data))
            {
                await RefreshAsync(cancellationToken);
                return;
            }
            if (attempt >= 50) throw new InvalidOperationException("The membership table kept changing; gave up after 50 attempts.");
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 50)), cancellationToken);
        }
    }

    private Task HeartbeatAsync(CancellationToken cancellationToken) => _table.UpdateIAmAliveAsync(Self, DateTimeOffset.UtcNow, cancellationToken);

    private async Task ProbeRoundAsync(CancellationToken cancellationToken)
    {
        var targets = ProbeTargets(View);
        foreach (var gone in _missedProbes.Keys.Except(targets).ToList()) _missedProbes.Remove(gone);
        _answered.IntersectWith(targets.Concat(_missedProbes.Keys));

        var results = await Task.WhenAll(targets.Select(async target =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.ProbeTimeout);
                return (target, ok: await _probe(target, timeout.Token));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return (target, ok: false);
            }
        }));

        // Every probe failed: more likely this silo is starved or cut off than all the others dead, so hold the
        // votes — unless it keeps happening long enough that the others really must be gone.
        if (results.Length >= 2 && results.All(r => !r.ok) && ++_allFailedRounds <= 2 * _options.MissedProbesLimit)
        {
            _logger.LogWarning("Silo {Self}: all {Count} probes failed this round; not voting (this silo may be the unhealthy one).", Self, results.Length);
            return;
        }
        if (results.Any(r => r.ok)) _allFailedRounds = 0;
        foreach (var (target, ok) in results)
        {
            if (!ok) continue;
            _answered.Add(target);
            _anyProbeSucceeded = true;
        }
        // A new silo votes once it has seen one of its own probes succeed (it is warm), or after its grace.
        var voting = _anyProbeSucceeded || DateTimeOffset.UtcNow - _joinedAt >= _options.NewSiloGracePeriod;

        foreach (var (target, ok) in results)
        {
            if (ok)
            {
                _missedProbes.Remove(target);
                continue;
            }
            var missed = _missedProbes[target] = _missedProbes.GetValueOrDefault(target) + 1;
            _logger.LogWarning("Silo {Target} missed probe {Missed}/{Limit} from {Self}.", target, missed, _options.MissedProbesLimit, Self);
            if (missed >= _options.MissedProbesLimit && voting) await VoteAsync(target, cancellationToken);
        }
    }

    /// <summary>The next few active silos after this one on a ring ordered by address: every silo is watched by several others.</summary>
    private List<SiloAddress> ProbeTargets(MembershipView view)
    {
        var others = view.Data.Rows
            .Where(r => r.Entry.Status is SiloStatus.Active or SiloStatus.ShuttingDown && r.Entry.Address != Self)
            .Select(r => r.Entry.Address)
            .Append(Self)
            .OrderBy(a => a.ToString(), StringComparer.Ordinal)
            .ToList();
        var index = others.IndexOf(Self);
        return Enumerable.Range(1, Math.Min(_options.NumProbedSilos, others.Count - 1))
            .Select(i => others[(index + i) % others.Count])
            .ToList();
    }

    /// <summary>Adds this silo's vote against the target; declares it Dead if enough fresh votes agree.</summary>
    private async Task VoteAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var data = await _table.ReadAllAsync(cancellationToken);
            if (data.Find(target) is not { } row || row.Entry.Status == SiloStatus.Dead)
            {
                _missedProbes.Remove(target);
                Publish(data);
                return;
            }
            var now = DateTimeOffset.UtcNow;
            // A silo that never answered us and started moments ago is probably still warming up, not dead.
            if (!_answered.Contains(target) && now - row.Entry.StartTime < _options.NewSiloGracePeriod) return;
            var votes = row.Entry.FreshSuspicions(now - _options.DeathVoteExpiration)
                .Where(v => v.Suspector != Self)
                .Append(new SuspectVote(Self, now))
                .ToList();
            var otherActive = data.Rows.Count(r => r.Entry.Status is SiloStatus.Active or SiloStatus.ShuttingDown && r.Entry.Address != target);
            var needed = Math.Max(1, Math.Min(_options.NumVotesForDeathDeclaration, otherActive));
            var declareDead = votes.Count >= needed;
            var updated = row.Entry with { Suspicions = votes, Status = declareDead ? SiloStatus.Dead : row.Entry.Status };
            if (await _table.UpdateRowAsync(updated, row.ETag, data.Version, cancellationToken))
            {
                if (declareDead)
                {
                    _logger.LogWarning("Silo {Self} declared {Target} dead ({Votes} votes).", Self, target, votes.Count);
                    _missedProbes.Remove(target);
                }
                else
                {
                    _logger.LogWarning("Silo {Self} voted {Target} suspect ({Votes}/{Needed} votes).", Self, target, votes.Count, needed);
                }
                await RefreshAsync(cancellationToken);
                return;
            }
        }
    }

    private Task RunPeriodicAsync(TimeSpan period, Func<CancellationToken, Task> action) => Task.Run(async () =>
    {
        var token = _stopping.Token;
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                try
                {
                    await action(token);
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    _logger.LogWarning(ex, "Membership task of {Silo} failed; retrying next period.", Self);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    private async Task StopLoopsAsync()
    {
        if (!_stopping.IsCancellationRequested) _stopping.Cancel();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        _loops.Clear();
    }
}
