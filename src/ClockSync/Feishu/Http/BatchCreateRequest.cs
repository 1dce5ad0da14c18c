using System.Text.Json.Serialization;

namespace ClockSync.Feishu.Http;

/// <summary>The <c>batch_create</c> body.</summary>
internal sealed record BatchCreateRequest([property: JsonPropertyName("flow_records")] IReadOnlyList<UserFlowWire> FlowRecords);
