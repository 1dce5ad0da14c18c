namespace ClockSync.Pipeline.Failures;

/// <summary>What becomes of records after a post.</summary>
public enum FailedBatchFate
{
    /// <summary>Landed (or were already there).</summary>
    Done,

    /// <summary>Wait for the retry timer: a later attempt may succeed without anyone changing anything.</summary>
    Pending,

    /// <summary>Feishu does not know the user: set aside without further calls until the id mapping changes or an operator
    /// retries the user. Not parked: nothing is wrong with the punch.</summary>
    Held,

    /// <summary>Will not succeed until someone acts (sealed month, permission, bad data, gave up): kept with the reason.</summary>
    Parked,
}
