using ClockSync.Feishu.Http;

namespace ClockSync.Feishu.Flows;

/// <summary>
/// Finds the users behind a whole-request <c>1220004</c> (or <c>1220600</c> "employee_no invalid") by halving the set
/// of users (binary splitting), so the punches of every other user still land. When Feishu accepted some of the users
/// before, those go first as one group and only the others are split.
/// </summary>
/// <remarks>
/// Why halving and not one call per user: a batch from k users with one unknown user costs about
/// 1 + 1.5·log2(k) extra calls this way (≈ 9 for 50 users) instead of k (50), and the usual cause is exactly one
/// new hire missing from the id mapping; the free edition's quota is 10,000 calls a month. A half that lands proves
/// the refused user is in the other half, which is then split without being sent whole; a single user in a group
/// known to be refused is reported without a call. Only when most users of a batch are unknown does halving cost
/// more (up to 2k − 2 calls) — that is a broken id mapping, which ingest reports anyway.
/// </remarks>
internal sealed class UnknownUserIsolation(FeishuAttendanceClient client, UnknownUserRegistry registry, CancellationToken cancellationToken)
{
    private readonly List<FeishuFlowRecord> _accepted = [];
    private readonly List<FeishuRecordFailure> _failures = [];
    private FeishuFailure? _stoppedBy;

    private enum SendResult
    {
        Landed,
        Refused,
        OtherFailure,
        Stopped,
    }

    /// <summary>Isolates within <paramref name="records"/>, a group known to contain a refused user.</summary>
    /// <param name="proof">The <c>1220004</c> answer that proved it, reported with the users it convicts.</param>
    public async Task IsolateAsync(IReadOnlyList<FeishuFlowRecord> records, IReadOnlyList<string> users, FeishuCallError proof)
    {
        if (users.Count == 1)
        {
            // Convicted for every delivery of this process now, not when the outcome is recorded: a delivery waiting
            // on this one's claim posts the rest of its batch without a second isolation.
            registry.Convict(users);
            foreach (var record in records)
            {
                _failures.Add(new FeishuRecordFailure(
                    record,
                    FeishuRecordFailureKind.UnknownUser,
                    $"User '{record.UserId}' does not exist for employee_type or is outside the app's data scope: {proof.Message}",
                    proof));
            }

            return;
        }

        var half = (users.Count + 1) / 2;
        await IsolateSplitAsync(records, [.. users.Take(half)], [.. users.Skip(half)], proof);
    }

    /// <summary>
    /// Sends the records of <paramref name="known"/> users (accepted by Feishu before) as one call, then finds the refused
    /// users among <paramref name="suspects"/> alone: one suspect is convicted by the proof without a call.
    /// </summary>
    public Task IsolateKnownFirstAsync(
        IReadOnlyList<FeishuFlowRecord> records, IReadOnlyList<string> known, IReadOnlyList<string> suspects, FeishuCallError proof) =>
        IsolateSplitAsync(records, known, suspects, proof);

    /// <summary>
    /// <paramref name="records"/> hold a refused user somewhere in <paramref name="first"/> or <paramref name="second"/>:
    /// the first group is sent; if it lands the refused user is in the second, which is then split without being sent
    /// whole; otherwise both groups are searched.
    /// </summary>
    private async Task IsolateSplitAsync(
        IReadOnlyList<FeishuFlowRecord> records, IReadOnlyList<string> first, IReadOnlyList<string> second, FeishuCallError proof)
    {
        var (firstRecords, secondRecords) = (Of(records, [.. first]), Of(records, [.. second]));
        var (firstResult, firstProof) = await SendAsync(firstRecords);
        switch (firstResult)
        {
            case SendResult.Landed:
                await IsolateAsync(secondRecords, second, proof);
                return;
            case SendResult.Refused:
                await IsolateAsync(firstRecords, first, firstProof!);
                break;
            case SendResult.Stopped:
                FailStopped(secondRecords);
                return;
        }

        var (secondResult, secondProof) = await SendAsync(secondRecords);
        if (secondResult == SendResult.Refused)
        {
            await IsolateAsync(secondRecords, second, secondProof!);
        }
    }

    public FeishuBatchOutcome ToOutcome(FeishuFailure original)
    {
        if (_failures.Count == 0)
        {
            return new FeishuBatchOutcome.Accepted(_accepted);
        }

        if (_accepted.Count == 0 && _failures.TrueForAll(failure => failure.Kind == FeishuRecordFailureKind.UnknownUser))
        {
            return original.ToBatchOutcome(FeishuAttendanceClient.DistinctUsers(_failures.Select(failure => failure.Record)));
        }

        if (_accepted.Count == 0 && _stoppedBy is not null
            && _failures.TrueForAll(failure => failure.Kind is FeishuRecordFailureKind.Transient or FeishuRecordFailureKind.Auth or FeishuRecordFailureKind.QuotaExhausted))
        {
            return _stoppedBy.ToBatchOutcome([]);
        }

        return new FeishuBatchOutcome.PartiallyAccepted(_accepted, _failures, _stoppedBy?.RetryAfter);
    }

    private async Task<(SendResult Result, FeishuCallError? Proof)> SendAsync(List<FeishuFlowRecord> records)
    {
        if (_stoppedBy is not null)
        {
            FailStopped(records);
            return (SendResult.Stopped, null);
        }

        var result = await client.PostBatchAsync(records, cancellationToken);
        switch (result.Failure)
        {
            case null:
                _accepted.AddRange(result.Accepted);
                _failures.AddRange(result.Failures);
                return (SendResult.Landed, null);
            case var failure when FeishuAttendanceClient.IsUnknownUser(failure):
                return (SendResult.Refused, failure.Error);
            case { Class: FeishuFailureClass.Permanent } failure:
                var kind = FeishuErrorClassifier.IsSealedPeriod(failure.Error) ? FeishuRecordFailureKind.SealedPeriod : FeishuRecordFailureKind.Permanent;
                foreach (var record in records)
                {
                    _failures.Add(new FeishuRecordFailure(record, kind, failure.Error.Message, failure.Error));
                }

                return (SendResult.OtherFailure, null);
            case var failure:
                // Throttled, server fault or auth: sending the rest now would only fail the same way.
                _stoppedBy = failure;
                FailStopped(records);
                return (SendResult.Stopped, null);
        }
    }

    private void FailStopped(List<FeishuFlowRecord> records)
    {
        var stop = _stoppedBy!;
        var kind = stop.Class switch
        {
            FeishuFailureClass.Auth => FeishuRecordFailureKind.Auth,
            FeishuFailureClass.QuotaExhausted => FeishuRecordFailureKind.QuotaExhausted,
            _ => FeishuRecordFailureKind.Transient,
        };
        foreach (var record in records)
        {
            _failures.Add(new FeishuRecordFailure(
                record, kind, $"Not confirmed while isolating unknown users: {stop.Error.Message}", stop.Error));
        }
    }

    private static List<FeishuFlowRecord> Of(IReadOnlyList<FeishuFlowRecord> records, List<string> users)
    {
        var set = users.ToHashSet(StringComparer.Ordinal);
        return records.Where(record => set.Contains(record.UserId)).ToList();
    }
}
