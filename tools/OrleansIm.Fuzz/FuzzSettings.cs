namespace OrleansIm.Fuzz;

/// <summary>What one fuzz run does. Input <c>i</c> is generated from (<see cref="Seed"/>, i) alone, so any input replays.</summary>
public sealed class FuzzSettings
{
    /// <summary>Seed of every input's generator.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of inputs (indexes 0 .. Count-1).</summary>
    public int Count { get; init; } = 10_000;

    /// <summary>Replays only this input (on fresh connections) and prints what it sent and saw.</summary>
    public int? Replay { get; init; }

    /// <summary>Inputs run concurrently on this many lanes (each with its own users and sockets); input i runs on lane i % Lanes.</summary>
    public int Lanes { get; init; } = 4;

    /// <summary>The node's app key (seed 000's example by default, which a standalone node uses unconfigured).</summary>
    public string AppKey { get; init; } = "keyAbcd123";

    public string AppId { get; init; } = "666666";

    /// <summary>How long a frame or request may go unanswered before it counts as a hang.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Progress lines are printed every this many inputs (0: none).</summary>
    public int ProgressEvery { get; init; }
}
