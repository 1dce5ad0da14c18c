namespace ClockSync.Storage.Pause;

/// <summary>Why posting is paused app-wide.</summary>
public enum PostingPauseReason
{
    /// <summary>Feishu answered 429 with 99991403: the tenant's monthly quota is used up.</summary>
    Quota,

    /// <summary>The app's own monthly call budget (<c>ClockSync__Feishu__MonthlyCallBudget</c>) is used up.</summary>
    Budget,
}
