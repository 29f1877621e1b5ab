using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OfflineMedia.Sync;

namespace OfflineMedia.Tests.Sync;

public sealed class DownloadRetryRegistrationTests
{
    [Fact]
    public void ConfigureDownloadRetry_Configured_IsWhatTheSyncReads()
    {
        var services = new ServiceCollection();
        services.AddOfflineMedia(o => o.CacheDirectory = Path.GetTempPath())
            .ConfigureDownloadRetry(r =>
            {
                r.MaxDelay = TimeSpan.FromSeconds(5);
                r.UseJitter = false;
            });
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DownloadRetryOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), options.MaxDelay);
        Assert.False(options.UseJitter);
    }

    [Fact]
    public void AddOfflineMedia_NotConfigured_KeepsTheDefaults()
    {
        var services = new ServiceCollection();
        services.AddOfflineMedia(o => o.CacheDirectory = Path.GetTempPath());
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DownloadRetryOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.True(options.UseJitter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2 * 60 * 60 * 1000)]
    public async Task ConfigureDownloadRetry_MaxDelayOutOfRange_FailsAtStartNamingTheOptionAndItsRange(int milliseconds)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOfflineMedia(o => o.CacheDirectory = Path.GetTempPath())
            .ConfigureDownloadRetry(r => r.MaxDelay = TimeSpan.FromMilliseconds(milliseconds));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DownloadRetryOptions.MaxDelay is", error.Message, StringComparison.Ordinal);
        Assert.Contains("it must be between 00:00:00.0100000 and 01:00:00.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigureDownloadRetry_Null_Throws()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentNullException>(() => services.AddOfflineMedia(_ => { }).ConfigureDownloadRetry(null!));
    }
}
