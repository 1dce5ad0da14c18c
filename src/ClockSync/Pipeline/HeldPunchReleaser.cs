using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClockSync.Feishu.Flows;
using ClockSync.Pipeline.Failures;
using ClockSync.Punches;
using ClockSync.Storage.Batches;
using ClockSync.Storage.Failures;
using ClockSync.Storage.ImportRows;
using ClockSync.Storage.Pause;
using ClockSync.Storage.UnknownUsers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClockSync.Pipeline;

/// <summary>
/// Posts punches held for users Feishu refused, mapped again with the CURRENT id mapping: by itself when the mapping blob
/// changes (the retry timer asks on every run), or for an operator (<c>clocksync users retry</c>). The ledger is not
/// asked: it claimed these punches when their file was ingested, and the held row is the only copy that still has to
/// reach Feishu — deleted once posted (or handed to FailedBatches), so each is let through once. Each keeps its
/// fingerprint as <c>idempotent_id</c>, so a crash between post and delete re-posts harmlessly.
/// </summary>
public sealed partial class HeldPunchReleaser(
    UnknownUserStore unknownUsers,
    FailedBatchStore failures,
    ImportStore imports,
    IdMappingSource mappings,
    BatchPoster poster,
    FailedBatchPolicy policy,
    PostingPause pause,
    IOptions<PunchOptions> punchOptions,
    TimeProvider time,
    ILogger<HeldPunchReleaser> logger)
{
    /// <summary>Releases what a changed mapping maps to new ids; nothing (and no call) when the mapping is unchanged.</summary>
    /// <returns>Held punches posted (or handed to FailedBatches).</returns>
    public async Task<int> ReleaseIfMappingChangedAsync(CancellationToken cancellationToken)
    {
        var stamp = await mappings.StampAsync(cancellationToken);
        if (string.Equals(stamp, await unknownUsers.GetMappingStampAsync(cancellationToken), StringComparison.Ordinal))
        {
            return 0;
        }

        var released = await ReleaseAsync(clockKey: null, force: false, cancellationToken);
        await unknownUsers.SetMappingStampAsync(stamp, cancellationToken);
        return released.Released;
    }

    /// <summary>
    /// Maps held punches again and posts them. Without <paramref name="force"/> only punches whose id changed to one not
    /// known to be refused are sent; with it (an operator's retry) every held punch of <paramref name="clockKey"/> (or all)
    /// is sent once more, under its current id.
    /// </summary>
    public async Task<HeldRelease> ReleaseAsync(string? clockKey, bool force, CancellationToken cancellationToken)
    {
        var held = await unknownUsers.ListHeldAsync(clockKey, cancellationToken);
        if (held.Count == 0)
        {
            return new HeldRelease(0, 0, 0);
        }

        var mapping = await mappings.LoadAsync(cancellationToken);
        var unknown = await unknownUsers.UnknownIdsAsync(cancellationToken);
        var eligible = new List<(HeldPunchEntity Row, BatchRecord Record)>();
        foreach (var row in held)
        {
            if (Map(mapping, row.ClockKey) is not { } id || (!force && (string.Equals(id, row.FeishuId, StringComparison.Ordinal) || unknown.Contains(id))))
            {
                continue;
            }

            var record = UnknownUserStore.RecordOf(row) with
            {
                UserId = id,
                UserKey = string.Equals(id, row.ClockKey, StringComparison.Ordinal) ? null : row.ClockKey,
            };
            eligible.Add((row, record));
        }

        int released = 0, refused = 0;
        foreach (var chunk in eligible.Chunk(IFeishuAttendanceClient.MaxBatchSize))
        {
            var records = chunk.Select(item => item.Record).ToList();
            var outcome = await poster.PostAsync(records, cancellationToken);
            var now = time.GetUtcNow();
            var decision = policy.Decide(outcome, records, attempt: 1, authFailuresBefore: 0, now, await pause.ResumeDueAsync(now, cancellationToken));
            var rowsById = chunk.ToDictionary(item => item.Record.IdempotentId, item => item.Row, StringComparer.Ordinal);

            // Refused again under the new id: still held, now under that id, and the id remembered.
            foreach (var part in decision.Held)
            {
                await unknownUsers.RecordRefusalsAsync(part.Records.Select(record => (record.UserId, record.ClockKey)), part.Error!, cancellationToken);
                foreach (var byUser in part.Records.GroupBy(record => record.UserId, StringComparer.Ordinal))
                {
                    await unknownUsers.RefuseAgainAsync(byUser.Select(record => rowsById[record.IdempotentId]).ToList(), byUser.Key, cancellationToken);
                }

                refused += part.Records.Count;
            }

            var leaving = new List<(HeldPunchEntity Row, BatchRecord Record, FailedBatchPart? Part)>();
            leaving.AddRange(decision.Posted.Select(record => (rowsById[record.IdempotentId], record, (FailedBatchPart?)null)));
            foreach (var part in decision.Parked.Append(decision.Pending).OfType<FailedBatchPart>())
            {
                leaving.AddRange(part.Records.Select(record => (rowsById[record.IdempotentId], record, (FailedBatchPart?)part)));
            }

            await HandOverAsync(leaving, cancellationToken);
            await unknownUsers.ReleaseAsync(leaving.Select(item => item.Row), cancellationToken);
            released += leaving.Count;
            foreach (var accepted in decision.Posted.Select(record => record.UserId).Distinct(StringComparer.Ordinal).Where(unknown.Contains))
            {
                // Feishu took punches under an id it had refused: it knows the user now.
                await unknownUsers.ForgetAsync(accepted, cancellationToken);
            }
        }

        await ForgetReplacedIdsAsync(mapping, cancellationToken);
        LogReleased(logger, held.Count, eligible.Count, released, refused);
        return new HeldRelease(held.Count, released, refused);
    }

    /// <summary>
    /// Counts what left the held set per import (posted, or a FailedBatches row pending or parked), then writes those rows.
    /// The count key names the punches, so a release repeated after a crash replaces its count instead of adding to it.
    /// </summary>
    private async Task HandOverAsync(List<(HeldPunchEntity Row, BatchRecord Record, FailedBatchPart? Part)> leaving, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var import in leaving.GroupBy(item => item.Row.ImportId, StringComparer.Ordinal))
        {
            var key = "release-" + Hash(import.Select(item => item.Record.IdempotentId));
            var posted = import.Count(item => item.Part is null);
            var parked = import.Where(item => item.Part?.Fate == FailedBatchFate.Parked).ToList();
            var change = new PostingCounts(
                FeishuPosts: 0,
                PunchesPosted: posted,
                PunchesParked: parked.Count,
                BatchesParked: parked.Count == 0 ? 0 : 1,
                PunchesHeld: -import.Count());
            await imports.RecordAdjustmentAsync(import.Key, key, "release", change, cancellationToken);
            foreach (var part in import.Where(item => item.Part is not null).GroupBy(item => item.Part!))
            {
                var records = part.Select(item => item.Record).ToList();
                var first = part.First().Row;
                var rowKey = string.Create(CultureInfo.InvariantCulture, $"{first.BatchNo:D6}-h{Hash(records.Select(record => record.IdempotentId))}");
                var row = FailureRows.Create(import.Key, first.BatchNo, rowKey, part.Key, attemptCount: part.Key.AttemptCounted ? 1 : 0, now);
                await failures.UpsertAsync(row, records, cancellationToken);
            }
        }
    }

    /// <summary>A refused id no clock key maps to any more (the mapping was corrected) is no longer worth listing.</summary>
    private async Task ForgetReplacedIdsAsync(IdMapping? mapping, CancellationToken cancellationToken)
    {
        var stillHeld = (await unknownUsers.ListHeldAsync(null, cancellationToken))
            .Select(row => row.FeishuId).ToHashSet(StringComparer.Ordinal);
        foreach (var user in await unknownUsers.ListUnknownAsync(cancellationToken))
        {
            var keys = user.ClockKeys.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (!stillHeld.Contains(user.FeishuId) && keys.Length > 0
                && keys.All(key => Map(mapping, key) is { } id && !string.Equals(id, user.FeishuId, StringComparison.Ordinal)))
            {
                await unknownUsers.ForgetAsync(user.FeishuId, cancellationToken);
            }
        }
    }

    /// <summary>The id the normaliser would give a clock key now; null when the key is unmapped and unmapped keys are rejected.</summary>
    private string? Map(IdMapping? mapping, string clockKey)
    {
        if (mapping is null)
        {
            return clockKey;
        }

        if (mapping.TryMap(clockKey, out var id))
        {
            return id;
        }

        return punchOptions.Value.UnmappedUsers == UnmappedUserPolicy.PassThrough ? clockKey : null;
    }

    private static string Hash(IEnumerable<string> ids) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", ids.Order(StringComparer.Ordinal)))))[..16];

    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Held punches: {Held} held, {Eligible} mapped to a new id or retried, {Released} released, {Refused} refused again")]
    private static partial void LogReleased(ILogger logger, int held, int eligible, int released, int refused);
}

/// <summary>What a release did: punches looked at, released (posted or handed to FailedBatches), refused again.</summary>
public sealed record HeldRelease(int Held, int Released, int RefusedAgain);
