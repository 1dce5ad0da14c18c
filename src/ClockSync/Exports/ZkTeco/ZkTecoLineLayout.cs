namespace ClockSync.Exports.ZkTeco;

/// <summary>
/// Where the ZKTeco tab-separated layouts keep device and status. The USB <c>attlog.dat</c> has
/// <c>PIN, time, device, status, verify, work code</c>; the PUSH <c>ATTLOG</c> body has
/// <c>PIN, time, status, verify, work code</c>: same first two fields, different third.
/// </summary>
internal sealed record ZkTecoLineLayout(int DeviceField, int DirectionField)
{
    public static ZkTecoLineLayout UsbAttLog { get; } = new(DeviceField: 2, DirectionField: 3);

    public static ZkTecoLineLayout PushAttLog { get; } = new(DeviceField: -1, DirectionField: 2);
}
