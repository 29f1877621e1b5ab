using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using OfflineMedia.Cache;
using OfflineMedia.IntegrationTests.Infrastructure;
using OfflineMedia.Variants;

namespace OfflineMedia.IntegrationTests.Cache;

/// <summary>
/// A resume is held against what the first answer declared: a <c>206</c> that describes other content (another total
/// length, ETag or Last-Modified, or another start) is not appended to the partial file; the download starts over
/// from the first byte, and says so in the log.
/// </summary>
public sealed class MediaCacheResumeMismatchTests : TempFolderTestBase
{
    private const int DropAt = 4_000;
    private const string FirstModified = "Mon, 01 Jan 2024 00:00:00 GMT";

    private static readonly byte[] s_first = HostileServer.Body(8_000, seed: 1);

    private bool _servedFirst;

    /// <summary>The resume's answer, and the content the server serves from then on.</summary>
    public static TheoryData<string, string?, string?, int, string, string> Mismatches => new()
    {
        // A 4,100-byte file passed off as the rest of the 8,000 bytes the first answer declared, under the same ETag.
        { "another total", "\"same\"", null, 4_100, "bytes 4000-4099/4100", "the range gives a total of 4100 bytes where the first answer declared 8000" },
        { "another ETag", "\"v2\"", null, 8_000, "bytes 4000-7999/8000", "its ETag differs from the first answer's" },
        { "another Last-Modified", null, "Tue, 02 Jan 2024 00:00:00 GMT", 8_000, "bytes 4000-7999/8000", "its Last-Modified differs from the first answer's" },
        { "another start", "\"same\"", null, 8_000, "bytes 3000-7999/8000", "the range starts at byte 3000, not at 4000 as asked" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public async Task GetOrDownload_ResumeAnsweredWithOtherContent_DownloadsAgainFromTheStart(
        string scenario, string? etag, string? lastModified, int length, string contentRange, string reason)
    {
        var second = HostileServer.Body(length, seed: 2);
        var firstValidator = etag is null ? null : "\"same\"";
        await using var server = await HostileServer.StartAsync(async (context, _) =>
        {
            var response = context.Response;
            response.ContentType = "image/jpeg";
            var range = context.Request.Headers.Range.ToString();
            if (range.Length == 0 && !_servedFirst)
            {
                // The first answer: 8,000 bytes declared, 4,000 sent, then the connection drops.
                _servedFirst = true;
                SetValidators(response, firstValidator, firstValidator is null ? FirstModified : null);
                response.ContentLength = s_first.Length;
                await HostileServer.SendThenDropAsync(context, s_first.AsMemory(0, DropAt));
                return;
            }

            SetValidators(response, etag, lastModified);
            if (range.Length > 0)
            {
                var from = int.Parse(contentRange["bytes ".Length..contentRange.IndexOf('-', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                var to = int.Parse(contentRange[(contentRange.IndexOf('-', StringComparison.Ordinal) + 1)..contentRange.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = contentRange;
                response.ContentLength = to - from + 1;
                await response.Body.WriteAsync(second.AsMemory(from, to - from + 1));
                return;
            }

            response.ContentLength = second.Length;
            await response.Body.WriteAsync(second);
        });
        await using var host = new CacheHost(Root, server.BaseAddress);
        var key = new MediaKey("squat", MediaKind.Image, MediaVariantNames.Medium);
        var source = new MediaSource("/media/squat.jpg");

        var dropped = await Assert.ThrowsAsync<MediaCacheException>(() => host.Cache.GetOrDownloadAsync(key, source));
        Assert.Equal(MediaCacheError.Network, dropped.Error);
        Assert.Equal(DropAt, await CacheFolder.WaitForReleasedPartialAsync(Root));

        var media = await host.Cache.GetOrDownloadAsync(key, source);

        Assert.Equal(second.Length, media.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(second)), CacheFolder.Sha256(media.LocalPath));
        Assert.Equal([null, "bytes=4000-", null], server.Requests.Select(r => r.Range));
        var logged = Assert.Single(host.Logs.GetSnapshot(), e => e.Id.Id == 220);
        Assert.Contains(reason, logged.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFolder.TempFiles(Root));
        Assert.False(string.IsNullOrEmpty(scenario));
    }

    private static void SetValidators(HttpResponse response, string? etag, string? lastModified)
    {
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        if (lastModified is not null)
        {
            response.Headers.LastModified = lastModified;
        }
    }
}
