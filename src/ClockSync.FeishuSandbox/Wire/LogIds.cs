using System.Globalization;

namespace ClockSync.FeishuSandbox.Wire;

/// <summary>Makes <c>X-Tt-Logid</c> values shaped like Feishu's: a timestamp followed by a unique hex tail.</summary>
internal sealed class LogIds(TimeProvider time)
{
    private long _counter;

    public string Next()
    {
        var number = Interlocked.Increment(ref _counter);
        var stamp = time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return stamp + "SANDBOX" + number.ToString("X12", CultureInfo.InvariantCulture);
    }
}
