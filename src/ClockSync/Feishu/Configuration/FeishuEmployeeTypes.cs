namespace ClockSync.Feishu.Configuration;

/// <summary>The two values of the <c>employee_type</c> query parameter.</summary>
public static class FeishuEmployeeTypes
{
    /// <summary>The user id shown in the admin console.</summary>
    public const string EmployeeId = "employee_id";

    /// <summary>The employee number (工号).</summary>
    public const string EmployeeNo = "employee_no";
}
