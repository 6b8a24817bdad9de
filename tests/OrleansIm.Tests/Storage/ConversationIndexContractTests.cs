using OrleansIm.Grains.Interfaces;
using OrleansIm.Grains.Storage;
using Xunit;

namespace OrleansIm.Tests.Storage;

/// <summary>The <see cref="IConversationIndex"/> contract; every implementation runs it through a subclass.</summary>
public abstract class ConversationIndexContractTests : IAsyncLifetime
{
    protected const string App = "app1";

    protected IConversationIndex Index { get; set; } = null!;

    protected abstract Task<IConversationIndex> CreateIndexAsync();

    public async Task InitializeAsync()
    {
        Index = await CreateIndexAsync();
        // c1..c4: ctime 100..400; c2 and c4 are groups; only c3 and c4 have an mtime. c0 belongs to another app.
        await Index.UpsertAsync(Row("c1", ConversationTypes.Private, "alice", 100, null));
        await Index.UpsertAsync(Row("c2", ConversationTypes.Group, "bob", 200, null));
        await Index.UpsertAsync(Row("c3", ConversationTypes.Private, "alice", 300, 1000));
        await Index.UpsertAsync(Row("c4", ConversationTypes.Group, "carol", 400, 2000));
        await Index.UpsertAsync(Row("c0", ConversationTypes.Group, "alice", 50, null) with { AppId = "app2" });
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static ConversationInfo Row(string convId, int type, string creator, long ctime, long? mtime) =>
        new(convId, type, App, creator, """{"topic":"t"}""", 2, ctime, mtime);

    protected Task<ConversationQueryResult> Query(params ConversationFilter[] filters) =>
        Index.QueryAsync(App, new ConversationQuery(filters, 1, 100));

    protected static ConversationFilter F(string field, string op, params string[] values) => new(field, op, values);

    protected static List<string> Ids(ConversationQueryResult result) => result.Items.Select(i => i.ConvId).ToList();

    [Fact]
    public async Task Query_without_filters_returns_the_apps_rows_in_ctime_order()
    {
        var result = await Query();

        Assert.Equal(["c1", "c2", "c3", "c4"], Ids(result));
        Assert.Equal(4, result.Total);
        Assert.Equal(Row("c3", ConversationTypes.Private, "alice", 300, 1000), result.Items[2]);
    }

    [Fact]
    public async Task Upsert_replaces_an_existing_row()
    {
        await Index.UpsertAsync(Row("c1", ConversationTypes.Private, "alice", 100, 5000) with { MemberCount = 9, ConvExtend = null });

        var row = Assert.Single((await Query(F("conv_id", "=", "c1"))).Items);

        Assert.Equal(9, row.MemberCount);
        Assert.Equal(5000, row.MTime);
        Assert.Null(row.ConvExtend);
    }

    [Fact]
    public async Task Delete_removes_the_row()
    {
        await Index.DeleteAsync("c2");

        Assert.Equal(["c1", "c3", "c4"], Ids(await Query()));
    }

    [Theory]
    [InlineData("conv_id", "=", new[] { "c2" }, new[] { "c2" })]
    [InlineData("conv_id", "!=", new[] { "c2" }, new[] { "c1", "c3", "c4" })]
    [InlineData("conv_id", "in", new[] { "c4", "c1", "zz" }, new[] { "c1", "c4" })]
    [InlineData("conv_id", ">", new[] { "c2" }, new[] { "c3", "c4" })]
    [InlineData("conv_type", "=", new[] { "3" }, new[] { "c2", "c4" })]
    [InlineData("conv_type", "in", new[] { "1", "2" }, new[] { "c1", "c3" })]
    [InlineData("conv_creater_id", "=", new[] { "alice" }, new[] { "c1", "c3" })]
    [InlineData("conv_creater_id", "!=", new[] { "alice" }, new[] { "c2", "c4" })]
    [InlineData("ctime", ">", new[] { "200" }, new[] { "c3", "c4" })]
    [InlineData("ctime", ">=", new[] { "200" }, new[] { "c2", "c3", "c4" })]
    [InlineData("ctime", "<", new[] { "300" }, new[] { "c1", "c2" })]
    [InlineData("ctime", "<=", new[] { "300" }, new[] { "c1", "c2", "c3" })]
    [InlineData("ctime", "!=", new[] { "300" }, new[] { "c1", "c2", "c4" })]
    [InlineData("ctime", "in", new[] { "100", "400", "999" }, new[] { "c1", "c4" })]
    [InlineData("mtime", ">", new[] { "0" }, new[] { "c3", "c4" })]
    [InlineData("mtime", "=", new[] { "2000" }, new[] { "c4" })]
    [InlineData("mtime", "!=", new[] { "2000" }, new[] { "c3" })] // an unset mtime matches no condition
    [InlineData("mtime", "<", new[] { "5000" }, new[] { "c3", "c4" })]
    public async Task Each_field_and_op_filters(string field, string op, string[] values, string[] expected)
    {
        var result = await Query(F(field, op, values));

        Assert.Equal(expected, Ids(result));
        Assert.Equal(expected.Length, result.Total);
    }

    [Fact]
    public async Task Filters_are_combined_with_and()
    {
        var result = await Query(F("conv_creater_id", "=", "alice"), F("ctime", ">", "100"));

        Assert.Equal(["c3"], Ids(result));
    }

    [Fact]
    public async Task Values_are_data_not_sql()
    {
        Assert.Empty((await Query(F("conv_id", "=", "c1' OR '1'='1"))).Items);
        Assert.Empty((await Query(F("conv_creater_id", "in", "x') OR 1=1 --"))).Items);
    }

    [Theory]
    [InlineData("members", "=", new[] { "x" })]     // unknown field
    [InlineData("creator_id", "=", new[] { "x" })]  // column name is not a field name
    [InlineData("ctime", "like", new[] { "1" })]    // unknown op
    [InlineData("ctime", "=", new[] { "abc" })]     // not a number
    [InlineData("conv_type", "=", new[] { "1.5" })] // not an integer
    [InlineData("ctime", "=", new string[0])]       // missing value
    [InlineData("ctime", ">", new[] { "1", "2" })]  // too many values
    [InlineData("conv_id", "in", new string[0])]    // "in" needs at least one
    public async Task Bad_filters_throw_argument_exception(string field, string op, string[] values)
    {
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => Query(F(field, op, values)));

        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public async Task In_takes_at_most_200_values()
    {
        var ok = await Query(F("conv_id", "in", [.. Enumerable.Range(0, 200).Select(i => $"c{i}")]));
        Assert.Equal(4, ok.Total);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Query(F("conv_id", "in", [.. Enumerable.Range(0, 201).Select(i => $"c{i}")])));
    }

    [Fact]
    public async Task Paging_returns_one_page_and_the_total()
    {
        // 25 more rows, several sharing a ctime so that conv_id breaks the ties.
        for (var i = 0; i < 25; i++) await Index.UpsertAsync(Row($"p{24 - i:D2}", ConversationTypes.Group, "dave", 1000 + i / 5, null));
        var expected = Enumerable.Range(0, 25).Select(i => $"p{24 - i:D2}")
            .OrderBy(id => 1000 + (24 - int.Parse(id[1..])) / 5).ThenBy(id => id, StringComparer.Ordinal).ToList();
        var filter = new[] { F("conv_creater_id", "=", "dave") };

        var page1 = await Index.QueryAsync(App, new ConversationQuery(filter, 1, 10));
        var page3 = await Index.QueryAsync(App, new ConversationQuery(filter, 3, 10));
        var page4 = await Index.QueryAsync(App, new ConversationQuery(filter, 4, 10));

        Assert.Equal(expected.Take(10), Ids(page1));
        Assert.Equal(expected.Skip(20), Ids(page3));
        Assert.Empty(page4.Items);
        Assert.All([page1, page3, page4], page => Assert.Equal(25, page.Total));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 0)]
    public async Task Page_and_size_below_one_are_rejected(int page, int size)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Index.QueryAsync(App, new ConversationQuery([], page, size)));
    }

    [Fact]
    public async Task FindExisting_keeps_only_the_apps_existing_ids()
    {
        // c0 exists in another app; "C1" differs from c1 only by case; duplicates and unknown ids are ignored.
        var existing = await Index.FindExistingAsync(App, ["c1", "c4", "c0", "C1", "nope", "c1"]);

        Assert.Equal(["c1", "c4"], existing.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindExisting_of_a_type_keeps_only_that_type()
    {
        var groups = await Index.FindExistingAsync(App, ["c1", "c2", "c3", "c4", "c0", "nope"], ConversationTypes.Group);

        Assert.Equal(["c2", "c4"], groups.Order(StringComparer.Ordinal));
        Assert.Equal(["c1", "c3"], (await Index.FindExistingAsync(App, ["c1", "c2", "c3", "c4"], ConversationTypes.Private)).Order(StringComparer.Ordinal));
        Assert.Empty(await Index.FindExistingAsync(App, ["c1", "c2"], ConversationTypes.Chatroom));
    }

    [Fact]
    public async Task FindExisting_answers_a_large_batch_and_an_empty_one()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"x{i}").Append("c2").ToList();

        Assert.Equal(["c2"], await Index.FindExistingAsync(App, ids));
        Assert.Empty(await Index.FindExistingAsync(App, []));
    }

    [Fact]
    public async Task FindExisting_no_longer_sees_a_deleted_row()
    {
        await Index.DeleteAsync("c3");

        Assert.Empty(await Index.FindExistingAsync(App, ["c3"]));
    }
}
