namespace ClockSync.Notify.Cards;

/// <summary>The header colours ClockSync uses (Feishu card header <c>template</c>).</summary>
public enum CardColour
{
    /// <summary>Everything went through.</summary>
    Green,

    /// <summary>Something needs a look: rejected lines, held users, parked batches.</summary>
    Orange,

    /// <summary>Failed, or stopped until a person acts.</summary>
    Red,

    /// <summary>News that needs nothing (posting resumed).</summary>
    Blue,
}
