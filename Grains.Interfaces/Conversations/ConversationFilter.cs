using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>
/// One condition of seed 003's <c>where</c> (e.g. ["conv_id","=","abc"]). Fields: conv_id, conv_type,
/// conv_creater_id, ctime, mtime. Ops: =, !=, in, &gt;, &gt;=, &lt;, &lt;=. "in" takes several values.
/// </summary>
[GenerateSerializer, Immutable, Alias("im.ConversationFilter")]
public sealed record ConversationFilter(string Field, string Op, IReadOnlyList<string> Values);
