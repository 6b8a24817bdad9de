namespace OrleansIm.Fuzz;

/// <summary>One input whose answer broke a rule; <see cref="Index"/> with the run's seed replays it.</summary>
public sealed record FuzzFailure(int Index, string Surface, string What, string Input);
