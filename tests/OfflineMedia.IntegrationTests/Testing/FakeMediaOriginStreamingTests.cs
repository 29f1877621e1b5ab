using System.Net;
using System.Security.Cryptography;
using OfflineMedia.Testing;

namespace OfflineMedia.IntegrationTests.Testing;

[Collection(AllocationSensitiveTestGroup.Name)]
public sealed class FakeMediaOriginStreamingTests
{
    private const long VideoBytes = 200L * 1024 * 1024;

    [Fact]
    public async Task Media_200MegabyteVideo_StreamsWithoutBufferingTheFile()
    {
        var catalog = new FakeMediaCatalog().AddExercise("marathon", "Marathon", e => e.AddVideo("original", VideoBytes, FakeVariantForm.Rich));
        await using var origin = await FakeMediaOrigin.StartAsync(catalog);
        using var client = origin.CreateClient();
        var variant = catalog.GetVariant("marathon", FakeMediaKind.Video, "original");
        var expectedSha = variant.Sha256;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var response = await client.GetAsync(origin.GetMediaUri(variant), HttpCompletionOption.ResponseHeadersRead);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var stream = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(VideoBytes, response.Content.Headers.ContentLength);
        Assert.Equal(expectedSha, Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.True(allocated < 32L * 1024 * 1024, $"allocated {allocated:N0} bytes to serve and read {VideoBytes:N0}");
    }
}
