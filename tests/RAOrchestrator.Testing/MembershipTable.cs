using Azure.Data.Tables;

namespace RAOrchestrator.Testing;

/// <summary>One silo's row in Orleans' Azure Table membership table.</summary>
public sealed record SiloRow(string Address, int Port, int ProxyPort, string Status, string SiloName);

/// <summary>
/// Reads the cluster's membership from Orleans' Azure Table membership table (OrleansSiloInstances, one partition per
/// cluster id): what the silos themselves agree on, so a test sees a silo declared dead when the cluster does.
/// </summary>
public sealed class MembershipTable(string connectionString, string clusterId)
{
    private readonly TableClient _table = new(connectionString, "OrleansSiloInstances");

    public async Task<IReadOnlyList<SiloRow>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var rows = new List<SiloRow>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == clusterId, cancellationToken: cancellationToken))
            {
                if (entity.RowKey == "VersionRow")
                {
                    continue;
                }

                rows.Add(new SiloRow(
                    entity.GetString("Address") ?? string.Empty,
                    int.TryParse(entity.GetString("Port"), out var port) ? port : entity.GetInt32("Port") ?? 0,
                    int.TryParse(entity.GetString("ProxyPort"), out var proxy) ? proxy : entity.GetInt32("ProxyPort") ?? 0,
                    entity.GetString("Status") ?? string.Empty,
                    entity.GetString("SiloName") ?? string.Empty));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No silo has created the table yet.
        }

        return rows;
    }

    /// <summary>Silo ports whose newest row says Active.</summary>
    public async Task<IReadOnlySet<int>> ActivePortsAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken)).Where(r => r.Status == "Active").Select(r => r.Port).ToHashSet();
}
