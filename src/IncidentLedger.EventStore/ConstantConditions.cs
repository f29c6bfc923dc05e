using System.Linq.Expressions;
using System.Reflection;
using Marten.Linq.MatchesSql;

namespace IncidentLedger.EventStore;

/// <summary>
/// Where-conditions for Marten queries whose values are constants of the expression tree. Marten turns any other
/// value in a condition (a captured variable) into a constant by compiling a small lambda for it, on every query;
/// on the register's hot path that compiling cost more than the SQL.
/// </summary>
public static class ConstantConditions
{
    private static readonly MethodInfo MatchesSqlWithPlaceholder =
        typeof(MatchesSqlExtensions).GetMethod(nameof(MatchesSqlExtensions.MatchesSql), [typeof(object), typeof(char), typeof(string), typeof(object[])])!;

    /// <summary>Rows for which <paramref name="sql"/> holds, each <c>^</c> in it standing for the next of <paramref name="values"/> (the document's alias is <c>d</c>).</summary>
    public static IQueryable<T> WhereSql<T>(this IQueryable<T> rows, string sql, params object[] values)
    {
        var row = Expression.Parameter(typeof(T), "d");
        var call = Expression.Call(
            MatchesSqlWithPlaceholder,
            Expression.Convert(row, typeof(object)),
            Expression.Constant('^'),
            Expression.Constant(sql),
            Expression.Constant(values, typeof(object[])));
        return rows.Where(Expression.Lambda<Func<T, bool>>(call, row));
    }

    /// <summary>Rows whose <paramref name="member"/> compares to <paramref name="value"/> as <paramref name="comparison"/> says (Equal, GreaterThanOrEqual, …).</summary>
    public static IQueryable<T> WhereCompared<T, TValue>(this IQueryable<T> rows, Expression<Func<T, TValue>> member, ExpressionType comparison, TValue value) =>
        rows.Where(Compared(member, comparison, value));

    /// <summary>Rows whose <paramref name="member"/> is one of <paramref name="values"/>.</summary>
    public static IQueryable<T> WhereIn<T, TValue>(this IQueryable<T> rows, Expression<Func<T, TValue>> member, IEnumerable<TValue> values)
    {
        ArgumentNullException.ThrowIfNull(member);
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(TValue)], Expression.Constant(values.ToArray()), member.Body);
        return rows.Where(Expression.Lambda<Func<T, bool>>(contains, member.Parameters));
    }

    /// <summary>The condition that <paramref name="member"/> compares to <paramref name="value"/> as <paramref name="comparison"/> says, the value a constant.</summary>
    public static Expression<Func<T, bool>> Compared<T, TValue>(Expression<Func<T, TValue>> member, ExpressionType comparison, TValue value)
    {
        ArgumentNullException.ThrowIfNull(member);
        var body = Expression.MakeBinary(comparison, member.Body, Expression.Constant(value, typeof(TValue)));
        return Expression.Lambda<Func<T, bool>>(body, member.Parameters);
    }
}
