namespace RAOrchestrator.Testing;

/// <summary>Finds the repository root (the folder with RAOrchestrator.sln) from wherever the tests run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RAOrchestrator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find RAOrchestrator.sln above " + AppContext.BaseDirectory);
    }
}
