namespace ClockSync.Storage.Limits;

public sealed partial class SharedFeishuCallGate
{
    /// <summary>One app's share on this instance: the slots and budget calls it holds, and its last copy of the row.</summary>
    private sealed class Lane(string appId)
    {
        public string AppId { get; } = appId;

        public Lock Gate { get; } = new();

        /// <summary>Serialises this instance's writes to the row (reservations and 429 pauses).</summary>
        public SemaphoreSlim Writer { get; } = new(1, 1);

        public Queue<long> Slots { get; } = new();

        public long BudgetBalance { get; set; }

        public long PausedUntil { get; set; }

        /// <summary>When this instance's callers took their slots (within the last write's time): the demand expected next.</summary>
        public Queue<long> Taken { get; } = new();

        /// <summary>Callers of this instance waiting for a slot they do not have yet: the demand a grant is sized to.</summary>
        public int Waiting { get; set; }

        /// <summary>How long a write to the row takes here (ticks, moving average): how far ahead a grant must start.</summary>
        public long WriteTicks { get; set; }

        public Task<bool>? Reserving { get; set; }

        public FeishuLimitEntity? Row { get; set; }
    }
}
