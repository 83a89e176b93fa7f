using System.Text.Json;
using System.Text.Json.Serialization;

namespace RAOrchestrator.Cli.Profiles;

/// <summary>
/// Profiles in one JSON file (<c>profiles.json</c> in the config folder), readable only by the user on Unix since
/// it holds bearer tokens.
/// </summary>
public sealed class ProfileStore(string directory)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string FilePath { get; } = Path.Combine(directory, "profiles.json");

    public Profile? Find(string name) => ReadAll().TryGetValue(name, out var profile) ? profile : null;

    public void Save(string name, Profile profile)
    {
        var all = ReadAll();
        all[name] = profile;
        Write(all);
    }

    /// <summary>Forgets a profile; false when there was none.</summary>
    public bool Remove(string name)
    {
        var all = ReadAll();
        if (!all.Remove(name))
        {
            return false;
        }

        Write(all);
        return true;
    }

    private SortedDictionary<string, Profile> ReadAll()
    {
        if (!File.Exists(FilePath))
        {
            return new SortedDictionary<string, Profile>(StringComparer.Ordinal);
        }

        try
        {
            var file = JsonSerializer.Deserialize<ProfilesFile>(File.ReadAllText(FilePath), Json);
            return new SortedDictionary<string, Profile>(file?.Profiles ?? [], StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw Errors.CliException.Usage($"The profile file {FilePath} is not valid JSON ({ex.Message}).", "Delete it and sign in again with raorch login.");
        }
    }

    private void Write(SortedDictionary<string, Profile> profiles)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temp = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            JsonSerializer.Serialize(stream, new ProfilesFile(new Dictionary<string, Profile>(profiles)), Json);
        }

        File.Move(temp, FilePath, overwrite: true);
    }

    private sealed record ProfilesFile([property: JsonPropertyName("profiles")] Dictionary<string, Profile> Profiles);
}
