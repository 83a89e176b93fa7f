namespace RAOrchestrator.Deploy.Tests.Infrastructure;

/// <summary>A copy of helm/raorchestrator in a temporary folder (deleted on dispose), for a test to add to or wrap in a parent chart.</summary>
public sealed class ChartCopy : IDisposable
{
    public ChartCopy(string relativePath = "raorchestrator")
    {
        Chart = System.IO.Path.Combine(Folder, relativePath);
        foreach (var file in Directory.GetFiles(Infrastructure.Chart.Root, "*", SearchOption.AllDirectories))
        {
            var target = System.IO.Path.Combine(Chart, System.IO.Path.GetRelativePath(Infrastructure.Chart.Root, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>The temporary folder.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("raorchestrator-chart-").FullName;

    /// <summary>The copied chart's folder inside it.</summary>
    public string Chart { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
