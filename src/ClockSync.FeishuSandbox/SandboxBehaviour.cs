namespace ClockSync.FeishuSandbox;

/// <summary>
/// The readings of the contract the sandbox plays. Items the contract marks [unconfirmed] have one switch each so tests
/// can cover every reading the client must accept.
/// </summary>
public sealed record SandboxBehaviour
{
    /// <summary>How a <c>batch_create</c> with unknown users fails (docs/feishu-contract.md §2, [unconfirmed]).</summary>
    public UnknownUserMode UnknownUserMode { get; init; } = UnknownUserMode.PartialSuccess;

    /// <summary>Whether the partial-success <c>msg</c> is wrapped in <c>[...]</c> (docs/feishu-contract.md §2, [unconfirmed]).</summary>
    public bool PartialFailureMsgBrackets { get; init; } = true;

    /// <summary>Separator between <c>userid-creatorid</c> pairs in the partial-success <c>msg</c>:
    /// <c>", "</c> or <c>","</c> (docs/feishu-contract.md §2, [unconfirmed]).</summary>
    public string PartialFailureMsgSeparator { get; init; } = ", ";

    /// <summary>Which records <c>data.flow_records</c> holds after a partial failure (docs/feishu-contract.md §2, [unconfirmed]).</summary>
    public PartialFailureEcho PartialFailureEcho { get; init; } = PartialFailureEcho.AcceptedOnly;

    /// <summary>How a resent <c>idempotent_id</c> is answered (docs/feishu-contract.md §2, [unconfirmed]).</summary>
    public DuplicateAnswer DuplicateAnswer { get; init; } = DuplicateAnswer.PlainSuccess;

    /// <summary>Whether error bodies come with the documented HTTP status or with 200 (contract "Envelope": both seen).</summary>
    public ErrorStatusStyle ErrorStatus { get; init; } = ErrorStatusStyle.Documented;

    /// <summary>HTTP status of the token errors 99991661/99991663; the contract lists 400/401, so either can be played.</summary>
    public int AuthErrorHttpStatus { get; init; } = 400;

    /// <summary>Earliest <c>check_time</c> accepted (docs/feishu-contract.md §2: "only punches after 2022-01-01"). Midnight in
    /// China time, the earlier of the plausible readings, so a client that cuts off at UTC midnight is never
    /// rejected by the sandbox for a punch it let through.</summary>
    public DateTimeOffset EarliestCheckTime { get; init; } = new(2022, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Whether the app holds <c>attendance:task</c>; without it <c>batch_create</c> answers 99991672.</summary>
    public bool WriteScopeGranted { get; init; } = true;

    /// <summary>Whether the app holds <c>attendance:task:readonly</c>; without it <c>query</c> answers 99991672.</summary>
    public bool ReadScopeGranted { get; init; } = true;

    /// <summary>
    /// Months (<c>yyyy-MM</c>, China time) whose attendance is sealed (封账): a <c>batch_create</c> holding a punch in one
    /// fails as a whole with 1220600 "the attendance result has been sealed and can not modify" (docs/feishu-contract.md §4a).
    /// </summary>
    public IReadOnlySet<string> SealedMonths { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Reads <c>2026-10,2026-11</c>; false when a month is not <c>yyyy-MM</c>.</summary>
    public static bool TryParseMonths(string text, out IReadOnlySet<string> months)
    {
        ArgumentNullException.ThrowIfNull(text);
        var set = new HashSet<string>(StringComparer.Ordinal);
        months = set;
        foreach (var month in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateTime.TryParseExact(month, "yyyy-MM", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                return false;
            }

            set.Add(month);
        }

        return set.Count > 0;
    }
}

/// <summary>The two readings of an unknown user in <c>batch_create</c> (docs/feishu-contract.md §2).</summary>
public enum UnknownUserMode
{
    /// <summary><c>code 0</c>; <c>msg</c> lists the failed <c>userid-creatorid</c> pairs; the rest is accepted.</summary>
    PartialSuccess,

    /// <summary>The whole request fails with 1220004 and nothing is recorded.</summary>
    WholeRequest1220004,

    /// <summary>The whole request fails with 1220600 "name or employee_no invalid" (docs/feishu-contract.md §4a) and nothing is recorded.</summary>
    WholeRequestEmployeeNoInvalid,
}

/// <summary>What <c>data.flow_records</c> echoes after a partial failure.</summary>
public enum PartialFailureEcho
{
    /// <summary>Only the accepted records.</summary>
    AcceptedOnly,

    /// <summary>Every record of the request, failed ones included.</summary>
    AllRecords,
}

/// <summary>How a record whose <c>idempotent_id</c> is already in the ledger is answered.</summary>
public enum DuplicateAnswer
{
    /// <summary>Echo the record as sent, as if accepted (no second flow is created).</summary>
    PlainSuccess,

    /// <summary>Echo the first flow stored under that key, with its <c>record_id</c>.</summary>
    EchoFirst,
}

/// <summary>HTTP status of error responses (contract "Envelope": classify by code first, status second).</summary>
public enum ErrorStatusStyle
{
    /// <summary>The status documented for the code (400, 429, 500, …).</summary>
    Documented,

    /// <summary>HTTP 200 with the non-zero code in the body.</summary>
    AlwaysHttp200,
}
