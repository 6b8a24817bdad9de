namespace OrleansIm.Runtime.Membership;

/// <summary>A silo's lifecycle as recorded in the membership table.</summary>
public enum SiloStatus
{
    None = 0,
    /// <summary>Inserted, not yet serving: it owns no grains.</summary>
    Joining = 1,
    /// <summary>Serving; part of the placement ring.</summary>
    Active = 2,
    /// <summary>Leaving gracefully: takes no new activations, drains, then marks itself Dead.</summary>
    ShuttingDown = 3,
    /// <summary>Gone for good. A silo that reads itself as Dead stops.</summary>
    Dead = 4,
}
