namespace RAOrchestrator.Web.Tests.Infrastructure;

/// <summary>The browser tests need Debian's Chromium and say how to get it; they never skip and never download a browser.</summary>
public sealed class SystemChromiumTests
{
    [Fact]
    public void Without_chromium_on_the_path_the_browser_tests_fail_naming_the_install_command()
    {
        var empty = System.IO.Directory.CreateTempSubdirectory("no-chromium-").FullName;
        try
        {
            var missing = Assert.Throws<InvalidOperationException>(() => SystemChromium.Path(empty));
            Assert.Contains("sudo apt-get install -y chromium", missing.Message);
        }
        finally
        {
            System.IO.Directory.Delete(empty);
        }
    }

    [Fact]
    public void The_browser_is_the_chromium_found_on_the_path()
    {
        Assert.Equal("/usr/bin/chromium", SystemChromium.Path("/nonexistent:/usr/bin"));
    }
}
