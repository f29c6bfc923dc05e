using System.Globalization;

namespace IncidentLedger.Domain;

/// <summary>An amount in an ISO 4217 currency. Never negative.</summary>
public sealed record Money
{
    public Money(decimal amount, string currency)
    {
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            throw new RuleViolation("money.currency_invalid", $"\"{currency}\" is not an ISO 4217 currency code: use three upper-case letters such as EUR, USD or CNY.");
        }

        if (amount < 0)
        {
            throw new RuleViolation("money.negative", $"An amount of money is never negative, but {amount.ToString(CultureInfo.InvariantCulture)} {currency} was given.");
        }

        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }

    public bool IsZero => Amount == 0;

    public static Money Zero(string currency) => new(0, currency);

    public override string ToString() => $"{Amount.ToString("0.##", CultureInfo.InvariantCulture)} {Currency}";
}
