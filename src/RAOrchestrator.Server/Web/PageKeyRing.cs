using System.Xml.Linq;
using Azure;
using Azure.Data.Tables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace RAOrchestrator.Server.Web;

/// <summary>
/// Where the pages' data-protection keys live (they protect the lobby console's cookies): one row a key in the storage
/// account the cluster already uses (table <c>RAOrchestratorWebKeys</c>), so every host of the cluster reads a cookie
/// any other host wrote, and a restart signs nobody out.
/// </summary>
public sealed class PageKeyRing(TableServiceClient tables) : IXmlRepository
{
    public const string TableName = "RAOrchestratorWebKeys";
    private const string Partition = "keys";
    private readonly Lazy<TableClient> _table = new(() =>
    {
        var table = tables.GetTableClient(TableName);
        table.CreateIfNotExists();
        return table;
    });

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. _table.Value.Query<TableEntity>(e => e.PartitionKey == Partition).Select(e => XElement.Parse(e.GetString("Xml")))];

    public void StoreElement(XElement element, string friendlyName)
    {
        var row = new TableEntity(Partition, RowKey(friendlyName)) { ["Xml"] = element.ToString(SaveOptions.DisableFormatting) };
        try
        {
            _table.Value.AddEntity(row);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Keys are immutable once written; the same key stored twice is the same row.
        }
    }

    private static string RowKey(string friendlyName) =>
        new([.. friendlyName.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Take(200)]);
}
