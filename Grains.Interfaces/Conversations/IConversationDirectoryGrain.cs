using Orleans;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Queries across an app's conversations (seed 003 GET /im/conversations). Key = app id.</summary>
[Alias("im.IConversationDirectoryGrain")]
public interface IConversationDirectoryGrain : IGrainWithStringKey
{
    Task<ConversationQueryResult> Query(ConversationQuery query);
}
