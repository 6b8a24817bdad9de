using System.Globalization;
using OrleansIm.Grains.Interfaces;

namespace OrleansIm.Grains.Storage;

/// <summary>
/// A validated <see cref="ConversationFilter"/>: known field, known op, values parsed to the column's type.
/// Every conversation index evaluates the same conditions — SQL for SQLite and PostgreSQL, <see cref="Matches"/> in memory —
/// with SQL semantics: a NULL column (mtime not set) matches no condition at all, not even "!=".
/// </summary>
internal sealed class ConversationFilterCondition
{
    public const int MaxInValues = 200;

    private static readonly Dictionary<string, (string Column, bool Numeric, Func<ConversationInfo, object?> Get)> Fields =
        new(StringComparer.Ordinal)
        {
            ["conv_id"] = ("conv_id", false, c => c.ConvId),
            ["conv_type"] = ("conv_type", true, c => (long)c.ConvType),
            ["conv_creater_id"] = ("creator_id", false, c => c.CreatorId),
            ["ctime"] = ("ctime", true, c => c.CTime),
            ["mtime"] = ("mtime", true, c => c.MTime),
        };

    private static readonly Dictionary<string, string> Ops = new(StringComparer.Ordinal)
    {
        ["="] = "=", ["!="] = "<>", ["in"] = "IN", [">"] = ">", [">="] = ">=", ["<"] = "<", ["<="] = "<=",
    };

    private readonly string _column;
    private readonly string _op;
    private readonly Func<ConversationInfo, object?> _get;

    private ConversationFilterCondition(string column, string op, Func<ConversationInfo, object?> get, IReadOnlyList<object> values)
    {
        _column = column;
        _op = op;
        _get = get;
        Values = values;
    }

    /// <summary>Parsed values: <see cref="long"/> for numeric fields, <see cref="string"/> otherwise.</summary>
    public IReadOnlyList<object> Values { get; }

    public static IReadOnlyList<ConversationFilterCondition> ParseAll(ConversationQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Page, 1, nameof(query.Page));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Size, 1, nameof(query.Size));
        return (query.Filters ?? []).Select(Parse).ToList();
    }

    public static ConversationFilterCondition Parse(ConversationFilter filter)
    {
        if (filter is null) throw new ArgumentException("A conversation filter is null.", nameof(filter));
        if (filter.Field is null || !Fields.TryGetValue(filter.Field, out var field))
            throw new ArgumentException(
                $"Unknown conversation filter field '{filter.Field}'; expected one of {string.Join(", ", Fields.Keys)}.", nameof(filter));
        if (filter.Op is null || !Ops.TryGetValue(filter.Op, out var op))
            throw new ArgumentException(
                $"Unknown conversation filter op '{filter.Op}' on '{filter.Field}'; expected one of {string.Join(", ", Ops.Keys)}.", nameof(filter));

        var count = filter.Values?.Count ?? 0;
        if (op == "IN" ? count is < 1 or > MaxInValues : count != 1)
            throw new ArgumentException(
                $"Conversation filter '{filter.Field} {filter.Op}' takes {(op == "IN" ? $"1 to {MaxInValues} values" : "exactly one value")}, got {count}.",
                nameof(filter));

        var values = filter.Values!.Select(value => field.Numeric ? ParseNumber(filter, value) : (object)(value ?? throw
            new ArgumentException($"Conversation filter '{filter.Field} {filter.Op}' has a null value.", nameof(filter)))).ToList();
        return new ConversationFilterCondition(field.Column, op, field.Get, values);
    }

    /// <summary>SQL for this condition; values are bound as parameters named <paramref name="parameterPrefix"/>0, 1, …</summary>
    public string ToSql(string parameterPrefix)
    {
        var names = Enumerable.Range(0, Values.Count).Select(i => $"{parameterPrefix}{i}");
        return _op == "IN" ? $"{_column} IN ({string.Join(", ", names)})" : $"{_column} {_op} {names.Single()}";
    }

    public bool Matches(ConversationInfo info)
    {
        var actual = _get(info);
        if (actual is null) return false;
        return _op switch
        {
            "IN" => Values.Any(v => Compare(actual, v) == 0),
            "=" => Compare(actual, Values[0]) == 0,
            "<>" => Compare(actual, Values[0]) != 0,
            ">" => Compare(actual, Values[0]) > 0,
            ">=" => Compare(actual, Values[0]) >= 0,
            "<" => Compare(actual, Values[0]) < 0,
            _ => Compare(actual, Values[0]) <= 0,
        };
    }

    // Ordinal, like SQLite's default BINARY collation.
    private static int Compare(object actual, object value) => actual is long number
        ? number.CompareTo((long)value)
        : string.CompareOrdinal((string)actual, (string)value);

    private static object ParseNumber(ConversationFilter filter, string? value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException(
                $"Conversation filter '{filter.Field} {filter.Op}' needs an integer value, got '{value}'.", nameof(filter));
}
