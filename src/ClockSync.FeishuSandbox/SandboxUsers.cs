namespace ClockSync.FeishuSandbox;

/// <summary>The users a tenant knows, per <c>employee_type</c> (docs/feishu-contract.md §2: <c>employee_id</c> or <c>employee_no</c>).</summary>
public sealed record SandboxUsers(IReadOnlySet<string> EmployeeIds, IReadOnlySet<string> EmployeeNos)
{
    /// <summary>The same ids known under both employee types — handy for demos and tests.</summary>
    public static SandboxUsers Same(params IEnumerable<string> ids)
    {
        var set = new HashSet<string>(ids, StringComparer.Ordinal);
        return new SandboxUsers(set, set);
    }

    /// <summary>Separate sets per employee type.</summary>
    public static SandboxUsers Of(IEnumerable<string> employeeIds, IEnumerable<string> employeeNos) =>
        new(new HashSet<string>(employeeIds, StringComparer.Ordinal), new HashSet<string>(employeeNos, StringComparer.Ordinal));
}
