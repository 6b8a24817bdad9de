namespace OrleansIm.LoadTest.Checking;

/// <summary>One thing the delivery checker found wrong.</summary>
public sealed record DeliveryProblem(DeliveryProblemKind Kind, string ConvId, string Detail)
{
    public override string ToString() => $"{Kind} in {ConvId}: {Detail}";
}
