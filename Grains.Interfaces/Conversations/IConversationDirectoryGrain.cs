using OrleansIm.Runtime;

namespace OrleansIm.Grains.Interfaces;

/// <summary>Queries across an app's conversations (seed 003 GET /im/conversations). Key = app id.</summary>
public interface IConversationDirectoryGrain : IGrainWithStringKey
{
    Task<ConversationQueryResult> Query(ConversationQuery query);
}
