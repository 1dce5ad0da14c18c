namespace ClockSync.Feishu.Flows;

/// <summary>The <c>type</c> of a user flow (punch record), as the contract lists it.</summary>
public enum FeishuFlowType
{
    UserPunch = 0,
    AdminChange = 1,
    MakeUp = 2,
    System = 3,
    NoNeed = 4,
    ClockMachine = 5,
    Fast = 6,
    OpenPlatformImport = 7,
}
