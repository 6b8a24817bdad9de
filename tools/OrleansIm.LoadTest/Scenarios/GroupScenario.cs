namespace OrleansIm.LoadTest.Scenarios;

/// <summary>
/// Group fan-out: <see cref="LoadTestSettings.Users"/> / <see cref="LoadTestSettings.GroupSize"/> group conversations,
/// every member online (members spread over the gateways), the first <see cref="LoadTestSettings.SendersPerGroup"/>
/// members of each group sending; every message must reach every other member.
/// </summary>
public sealed class GroupScenario : IScenario
{
    public async Task RunAsync(ScenarioContext context)
    {
        var size = context.Settings.GroupSize;
        var groups = Math.Max(1, context.Settings.Users / size);
        var users = await context.LoginUsersAsync("g", groups * size);
        var members = Enumerable.Range(0, groups).Select(g => users.Skip(g * size).Take(size).ToArray()).ToArray();
        var convIds = new string[groups];
        await Parallel.ForAsync(0, groups, new ParallelOptions { MaxDegreeOfParallelism = context.Settings.Concurrency }, async (g, _) =>
        {
            convIds[g] = await context.Api.CreateConversationAsync(members[g][0].Id, members[g].Skip(1).Select(u => u.Id).ToArray(), convType: 3);
            context.Ledger.Conversations[convIds[g]] = members[g][0];
        });
        var receivers = users.ToDictionary(u => u.Id, u => new MessageReceiver(u, context, deduplicate: false));
        var connections = await context.ConnectAllAsync(users, u => receivers[u.Id].OnPush);
        var slots = new List<SenderSlot>();
        for (var g = 0; g < groups; g++)
        {
            for (var s = 0; s < context.Settings.SendersPerGroup; s++)
            {
                var sender = members[g][s];
                slots.Add(new SenderSlot(sender, connections[sender.Index], convIds[g], members[g].Where(m => m != sender).Select(m => m.Id).ToArray()));
            }
        }

        context.Phase = "running";
        context.Metrics.Start(context.Settings.WarmUp);
        using var stop = new CancellationTokenSource(context.Settings.RunTime);
        await new MessageTraffic(context, slots).RunAsync(stop.Token);
        await ScenarioContext.CloseAllAsync(connections);
    }
}
