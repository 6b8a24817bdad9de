namespace OrleansIm.Runtime;

/// <summary>A timer registered by a grain. Its callback runs as a turn of the activation; dispose to stop it.</summary>
public interface IGrainTimer : IDisposable
{
}
