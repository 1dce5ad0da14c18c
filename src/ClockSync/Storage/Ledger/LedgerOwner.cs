using ClockSync.Punches;

namespace ClockSync.Storage.Ledger;

/// <summary>The import that claimed a punch, the batch it put the punch in, and how the punch matched the claimed one.</summary>
/// <param name="Match">Anything but <see cref="PunchMatch.Exact"/>: the claimed punch is the same punch under another
/// fingerprint (<see cref="PunchIdentity"/>), not necessarily one this run would rebuild into that batch.</param>
public readonly record struct LedgerOwner(string ImportId, int BatchNo, PunchMatch Match = PunchMatch.Exact);
