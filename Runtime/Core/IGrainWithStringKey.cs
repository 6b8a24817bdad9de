namespace OrleansIm.Runtime;

/// <summary>A grain identified by a string key (the only key kind this runtime supports).</summary>
public interface IGrainWithStringKey : IGrain
{
}
