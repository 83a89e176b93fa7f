using System.Security.Cryptography;
using System.Text;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.Extensions.Msal;

namespace RAOrchestrator.Cli.Connection;

/// <summary>
/// Where a person's tokens (access and refresh) are kept between commands: <c>msal-cache.bin</c> in the config folder,
/// encrypted by the platform where it can (DPAPI on Windows, the Keychain on macOS, the keyring through libsecret on
/// Linux), else, when the library's check finds that unavailable (Linux servers and CI usually have no keyring), a plain
/// file only the user can read and write (0600).
/// </summary>
public sealed record TokenCache(MsalCacheHelper Helper, string FilePath, bool Encrypted)
{
    public const string FileName = "msal-cache.bin";

    /// <summary>How the tokens are protected, for people.</summary>
    public string Protection => Encrypted
        ? OperatingSystem.IsWindows() ? "encrypted with DPAPI" : OperatingSystem.IsMacOS() ? "in the macOS Keychain" : "in the keyring (libsecret)"
        : "in a plain file only you can read (0600): no keyring here";

    public static async Task<TokenCache> OpenAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var filePath = Path.Combine(directory, FileName);
        var encrypted = new StorageCreationPropertiesBuilder(FileName, directory)
            // The folder is part of the Keychain item's and the keyring entry's names, so each config folder has its own.
            .WithMacKeyChain("RAOrchestrator.raorch", "MSALCache-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..16])
            .WithLinuxKeyring("dev.raorchestrator.raorch.tokens", MsalCacheHelper.LinuxKeyRingDefaultCollection, "raorch token cache",
                new KeyValuePair<string, string>("Product", "raorch"), new KeyValuePair<string, string>("ConfigDirectory", directory))
            .Build();
        var helper = await MsalCacheHelper.CreateAsync(encrypted);
        try
        {
            helper.VerifyPersistence();
            return new TokenCache(helper, filePath, Encrypted: true);
        }
        catch (MsalCachePersistenceException)
        {
            var plain = new StorageCreationPropertiesBuilder(FileName, directory).WithUnprotectedFile().Build();
            return new TokenCache(await MsalCacheHelper.CreateAsync(plain), filePath, Encrypted: false);
        }
    }

    public void Register(ITokenCache cache) => Helper.RegisterCache(cache);
}
