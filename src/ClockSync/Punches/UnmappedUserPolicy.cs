namespace ClockSync.Punches;

/// <summary>What to do with a punch whose clock user key is not in the id mapping.</summary>
public enum UnmappedUserPolicy
{
    /// <summary>Reject the punch (line number and key in the report). The safe default once a mapping exists.</summary>
    Reject,

    /// <summary>Send the clock key itself as the Feishu id (meant for <c>employee_type=employee_no</c>).</summary>
    PassThrough,
}
