using System.Security.Cryptography;
using System.Text.Json;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Sample;

namespace OfflineMedia.IntegrationTests.Sample;

/// <summary>The sample's entry point, in process, on its embedded fake origin and a temp cache folder.</summary>
[Collection(nameof(SampleAppTests))]
public sealed class SampleAppTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Cache => Path.Combine(_temp.Path, "cache");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Run_Defaults_TellsTheStoryAndExits0()
    {
        var (exit, stdout, stderr) = await RunAsync("--cache", Cache);

        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("Sync the upcoming week", stdout, StringComparison.Ordinal);
        Assert.Contains("Complete", stdout, StringComparison.Ordinal);
        Assert.Contains("shown from the cache with no network", stdout, StringComparison.Ordinal);
        Assert.True(stdout.Contains("pinned media stayed", StringComparison.Ordinal), stdout[^Math.Min(2000, stdout.Length)..]);
        Assert.Contains("evicted jump-rope", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Json_IsOneDocumentThatMatchesTheFilesOnDisk()
    {
        var (exit, stdout, stderr) = await RunAsync("--cache", Cache, "--scale", "1000", "--json");

        Assert.True(exit == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        Assert.Equal("complete", root.GetProperty("outcome").GetString());
        Assert.Equal(Cache, root.GetProperty("cacheDirectory").GetString());

        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, items.Select(i => (i.GetProperty("exerciseId").GetString(), i.GetProperty("kind").GetString(), i.GetProperty("variant").GetString())).Distinct().Count());
        foreach (var item in items)
        {
            Assert.Equal("downloaded", item.GetProperty("outcome").GetString());
            var path = item.GetProperty("path").GetString()!;
            Assert.StartsWith(Cache, path, StringComparison.Ordinal);
            Assert.Equal(item.GetProperty("bytes").GetInt64(), new FileInfo(path).Length);
            if (item.GetProperty("sha256").GetString() is { } sha256)
            {
                Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
            }
        }

        // The embedded catalog gives half its variants in the richer form: those were verified and keep their digest.
        Assert.Contains(items, i => i.GetProperty("sha256").ValueKind == JsonValueKind.String);
        Assert.Contains(items, i => i.GetProperty("sha256").ValueKind == JsonValueKind.Null);

        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "image" && i.GetProperty("variant").GetString() == "poster");
        var totals = root.GetProperty("totals");
        Assert.Equal(items.Count, totals.GetProperty("planned").GetInt32());
        Assert.Equal(items.Count, totals.GetProperty("downloaded").GetInt32());
        Assert.Equal(items.Sum(i => i.GetProperty("bytes").GetInt64()), totals.GetProperty("bytesDownloaded").GetInt64());
        Assert.All(root.GetProperty("workouts").EnumerateArray(), w => Assert.Equal("full", w.GetProperty("availability").GetString()));
        var resolution = root.GetProperty("resolution").EnumerateArray().ToList();
        Assert.NotEmpty(resolution);
        Assert.All(resolution, r =>
        {
            Assert.Equal("local", r.GetProperty("source").GetString());
            Assert.True(File.Exists(r.GetProperty("path").GetString()));
        });
    }

    [Fact]
    public async Task Run_Again_DownloadsNothing()
    {
        var first = await RunAsync("--cache", Cache, "--scale", "1000", "--json");
        Assert.Equal(0, first.Exit);

        var (exit, stdout, _) = await RunAsync("--cache", Cache, "--scale", "1000", "--json");

        Assert.Equal(0, exit);
        using var document = JsonDocument.Parse(stdout);
        var totals = document.RootElement.GetProperty("totals");
        Assert.Equal(0, totals.GetProperty("downloaded").GetInt32());
        Assert.Equal(0, totals.GetProperty("bytesDownloaded").GetInt64());
        Assert.Equal(totals.GetProperty("planned").GetInt32(), totals.GetProperty("cached").GetInt32());
    }

    [Fact]
    public async Task Run_CellularWithWiFiOnly_DownloadsNothingAndExits3()
    {
        var (exit, stdout, _) = await RunAsync("--cache", Cache, "--network", "cellular", "--strategy", "wifi-only", "--json");

        Assert.Equal(3, exit);
        using var document = JsonDocument.Parse(stdout);
        Assert.Equal("skipped", document.RootElement.GetProperty("outcome").GetString());
        Assert.Contains("Wi-Fi", document.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, document.RootElement.GetProperty("totals").GetProperty("downloaded").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(Cache, "media")) && Directory.EnumerateFiles(Path.Combine(Cache, "media"), "*", SearchOption.AllDirectories).Any());
    }

    [Theory]
    [InlineData("--device must be one of phone, tablet, desktop; 'watch' is not.", "--device", "watch")]
    [InlineData("--strategy must be one of wifi-only, wifi-and-cellular, manual; 'Manual' is not.", "--strategy", "Manual")]
    [InlineData("Unknown flag '--bogus'. Run with --help for the flags.", "--bogus")]
    [InlineData("Unknown flag 'false'. Run with --help for the flags.", "--no-videos", "false")]
    [InlineData("--scale must be a number from 1 to 1000000; '0' is not.", "--scale", "0")]
    [InlineData("--free-storage-gb must be a number from 0 to 100000; '1,5' is not.", "--free-storage-gb", "1,5")]
    [InlineData("--api needs an absolute http or https URL; 'ftp://example.com' is not one.", "--api", "ftp://example.com")]
    [InlineData("--limit-mb needs a value.", "--limit-mb")]
    [InlineData("--cache needs a value.", "--cache", "--json")] // Never a cache folder named "--json".
    public async Task Run_BadFlag_PrintsOneLineThatNamesItAndExits1(string message, params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Equal(message, Assert.Single(stderr.Trim().Split('\n')));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Run_Help_PrintsEveryFlagWithItsValuesAndDefaultsAndExits0(string help)
    {
        var (exit, stdout, stderr) = await RunAsync(help);

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        foreach (var flag in (string[])["--api", "--cache", "--device", "--free-storage-gb", "--network", "--strategy", "--video-quality", "--no-videos", "--limit-mb", "--scale", "--json", "--help"])
        {
            Assert.Contains(flag, stdout, StringComparison.Ordinal);
        }

        // The names a flag takes and its default come from the flag's own definition.
        Assert.Contains("--strategy <wifi-only|wifi-and-cellular|manual>", stdout, StringComparison.Ordinal);
        Assert.Contains("[default: wifi-only]", stdout, StringComparison.Ordinal);
        Assert.Contains("[default: auto]", stdout, StringComparison.Ordinal);
        Assert.Contains("[default: 100]", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await SampleApp.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
