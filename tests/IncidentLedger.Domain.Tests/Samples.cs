using System.Collections;
using System.Reflection;

namespace IncidentLedger.Domain.Tests;

/// <summary>
/// Builds an instance of any domain record with every member set to a non-default value, so a
/// round trip through JSON can show that nothing is lost.
/// </summary>
public static class Samples
{
    private static readonly DateTimeOffset When = new(2026, 3, 2, 17, 45, 12, 345, TimeSpan.FromHours(8));

    public static object Of(Type type, int depth = 0)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Of(underlying, depth);
        }

        if (type == typeof(string))
        {
            return "sample «text» 样本";
        }

        if (type == typeof(Guid))
        {
            return Guid.Parse("12345678-9abc-def0-1234-56789abcdef0");
        }

        if (type == typeof(DateTimeOffset))
        {
            return When;
        }

        if (type == typeof(decimal))
        {
            return 12.345m;
        }

        if (type == typeof(int))
        {
            return 3;
        }

        if (type == typeof(long))
        {
            return 4096L;
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;
        }

        if (type == typeof(Money))
        {
            return new Money(1234.56m, "EUR");
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(Of(element, depth + 1));
            return list;
        }

        if (depth > 6)
        {
            throw new InvalidOperationException($"Sample of {type.Name} nests too deeply.");
        }

        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Of(p.ParameterType, depth + 1)).ToArray());
    }
}
