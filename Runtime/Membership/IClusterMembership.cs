namespace OrleansIm.Runtime.Membership;

/// <summary>
/// This process's current view of the cluster. Gateways re-register their connections when it changes,
/// because grains (and the in-memory device lists of user grains) move with ownership.
/// Standalone silos never raise it.
/// </summary>
public interface IClusterMembership
{
    MembershipView Current { get; }

    event Action<MembershipView>? ViewChanged;
}
