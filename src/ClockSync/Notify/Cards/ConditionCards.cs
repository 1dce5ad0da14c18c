using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using static ClockSync.Notify.Cards.CardJson;

namespace ClockSync.Notify.Cards;

/// <summary>Cards for conditions a person has to act on (or may stop worrying about). Pure builders.</summary>
public static class ConditionCards
{
    /// <summary>Parked batches listed in a digest; the rest are counted.</summary>
    public const int MaxParkedListed = 10;

    /// <summary>Posting stopped for the whole app: the monthly quota (Feishu's 99991403) or ClockSync's own budget is used up.</summary>
    /// <param name="cause">What stopped it, e.g. "Feishu answered 99991403 (monthly call quota exhausted)".</param>
    public static JsonObject QuotaExhausted(string cause, DateTimeOffset at, long? callsThisMonth, long? budget)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cause);
        var calls = callsThisMonth is { } used
            ? budget is { } limit ? $"\n**Calls this month** {N(used)} of a budget of {N(limit)}" : $"\n**Calls this month** {N(used)}"
            : "";
        return Card("Feishu posting stopped: monthly calls used up", CardColour.Red,
        [
            Text($"**Why** {Plain(cause)}{calls}"),
            Text("Every batch waits, none is parked or lost. Posting resumes by itself when the month changes, or when an operator "
                + "raises the budget or the tenant's quota and resumes it. Another card says when it resumes."),
            Rule(),
            Note($"Stopped at {Utc(at)}"),
        ]);
    }

    /// <summary>Posting runs again after a quota or budget stop.</summary>
    public static JsonObject PostingResumed(DateTimeOffset at, string? why) =>
        Card("Feishu posting resumed", CardColour.Green,
        [
            Text(why is null ? "The batches that waited are being posted now." : $"{Plain(why)}\nThe batches that waited are being posted now."),
            Rule(),
            Note($"Resumed at {Utc(at)}"),
        ]);

    /// <summary>Feishu refused the app id and secret even after they were read again (rotated secrets included).</summary>
    public static JsonObject CredentialsRefused(int? code, string message, string? logId, DateTimeOffset at)
    {
        var detail = string.Create(CultureInfo.InvariantCulture, $"code {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}: {Plain(message, 200)}");
        return Card("Feishu refused ClockSync's app credentials", CardColour.Red,
        [
            Text($"**Feishu said** {detail}"),
            Text("The secrets were read again and still refused. Check the app id and secret in Key Vault and that the app is "
                + "enabled in the Feishu admin console. Batches wait and are retried; nothing is lost."),
            Rule(),
            Note(logId is null ? $"At {Utc(at)}" : $"At {Utc(at)} · log id {logId}"),
        ]);
    }

    /// <summary>Batches parked since the last digest.</summary>
    public static JsonObject ParkedDigest(IReadOnlyList<ParkedBatch> parked, DateTimeOffset since, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(parked);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"**{N(parked.Count)} batch{(parked.Count == 1 ? "" : "es")} parked** ({N(parked.Sum(batch => (long)batch.Punches))} punches) since {Utc(since)}"));
        foreach (var batch in parked.Take(MaxParkedListed))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n• {Plain(batch.File, 80)} batch {batch.BatchNo}, {N(batch.Punches)} punches: {Plain(batch.Reason, 200)}");
        }

        if (parked.Count > MaxParkedListed)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n… and {N(parked.Count - MaxParkedListed)} more");
        }

        return Card("Batches parked: Feishu will not take them as they are", CardColour.Orange,
        [
            Text(text.ToString()),
            Text("Parked batches are not retried. clocksync failed lists them; fix the cause, then re-queue them."),
            Rule(),
            Note($"Digest of {Utc(at)}"),
        ]);
    }
}

/// <summary>One parked batch (or parked part of a batch) in a digest.</summary>
public sealed record ParkedBatch(string ImportId, string File, int BatchNo, int Punches, string Reason);
