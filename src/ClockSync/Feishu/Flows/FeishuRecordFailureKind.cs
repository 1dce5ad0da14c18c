namespace ClockSync.Feishu.Flows;

/// <summary>Why one record of a batch did not land.</summary>
public enum FeishuRecordFailureKind
{
    /// <summary>Its <c>user_id-creator_id</c> pair was listed in the <c>msg</c> of a <c>code 0</c> answer. Feishu
    /// gives no cause; retry a limited number of times (the resend of accepted twins is de-duplicated).</summary>
    ListedAsFailed,

    /// <summary>The answer echoed <c>data.flow_records</c> and this record was not among them.</summary>
    MissingFromEcho,

    /// <summary>The user is unknown or outside the app's data scope (<c>1220004</c>, isolated to this user).
    /// Permanent until the id mapping or the app's scope is fixed.</summary>
    UnknownUser,

    /// <summary>The call carrying it failed transiently while the batch was being split.</summary>
    Transient,

    /// <summary>The call carrying it failed authentication while the batch was being split.</summary>
    Auth,

    /// <summary>The call carrying it failed permanently (another code) while the batch was being split.</summary>
    Permanent,

    /// <summary>Its month is sealed (封账, <c>1220600</c> "sealed"): Feishu takes no more punches for that period.</summary>
    SealedPeriod,

    /// <summary>The monthly call quota ran out while the batch was being split; it waits for the quota.</summary>
    QuotaExhausted,
}
