using System.IO.Abstractions;
using System.IO.Hashing;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using OfflineMedia.Cache;
using OfflineMedia.Cache.Internal;
using OfflineMedia.Variants;

namespace OfflineMedia.Tests.Cache;

public sealed class PartialFileWriterTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("offlinemedia-partial-").FullName;
    private readonly FileSystem _fileSystem = new();
    private readonly IPartialDownloadStore _partials = Substitute.For<IPartialDownloadStore>();
    private readonly List<long> _progress = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Open_New_CreatesTheFolderAndWritesFromTheStart()
    {
        var request = Request();

        using (var writer = PartialFileWriter.Open(_fileSystem, request, 0, NullLogger.Instance))
        {
            await writer.SkipWrittenAsync(0, null, new XxHash128(), new byte[16], CancellationToken.None);
            await writer.WriteAsync("abc"u8.ToArray(), CancellationToken.None);
        }

        Assert.Equal("abc"u8.ToArray(), File.ReadAllBytes(request.PartialPath));
    }

    [Fact]
    public async Task Open_LinkAtThePartialPath_RemovesTheLinkAndNeverWritesItsTarget()
    {
        var target = Path.Combine(_directory, "outside.bin");
        File.WriteAllBytes(target, "keep"u8.ToArray());
        var request = Request();
        Directory.CreateDirectory(Path.GetDirectoryName(request.PartialPath)!);
        File.CreateSymbolicLink(request.PartialPath, target);

        using (var writer = PartialFileWriter.Open(_fileSystem, request, 0, NullLogger.Instance))
        {
            await writer.WriteAsync("new"u8.ToArray(), CancellationToken.None);
        }

        Assert.Equal("keep"u8.ToArray(), File.ReadAllBytes(target));
        Assert.Null(new FileInfo(request.PartialPath).LinkTarget);
        Assert.Equal("new"u8.ToArray(), File.ReadAllBytes(request.PartialPath));
    }

    [Fact]
    public async Task SkipWrittenAsync_WithHash_HashesWhatAnEarlierAttemptWroteThenAppends()
    {
        var request = WithEarlierAttempt("abc"u8);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var content = new XxHash128();

        using (var writer = PartialFileWriter.Open(_fileSystem, request, 3, NullLogger.Instance))
        {
            await writer.SkipWrittenAsync(3, hash, content, new byte[2], CancellationToken.None);
            await writer.WriteAsync("def"u8.ToArray(), CancellationToken.None);
            hash.AppendData("def"u8);
            content.Append("def"u8);
        }

        Assert.Equal("abcdef"u8.ToArray(), File.ReadAllBytes(request.PartialPath));
        Assert.Equal(SHA256.HashData("abcdef"u8), hash.GetHashAndReset());
        Assert.Equal(XxHash128.Hash("abcdef"u8), content.GetHashAndReset());
    }

    [Fact]
    public async Task SkipWrittenAsync_WithoutDigest_AppendsAfterTheOffsetAndTheContentHashCoversTheWholeFile()
    {
        var request = WithEarlierAttempt("abc"u8);
        var content = new XxHash128();

        using (var writer = PartialFileWriter.Open(_fileSystem, request, 3, NullLogger.Instance))
        {
            await writer.SkipWrittenAsync(3, null, content, new byte[16], CancellationToken.None);
            await writer.WriteAsync("def"u8.ToArray(), CancellationToken.None);
            content.Append("def"u8);
        }

        Assert.Equal("abcdef"u8.ToArray(), File.ReadAllBytes(request.PartialPath));
        Assert.Equal(XxHash128.Hash("abcdef"u8), content.GetHashAndReset());
    }

    [Fact]
    public async Task EndAttemptAsync_KeepsTheBytesAndReportsHowFarItGot()
    {
        var request = Request();

        using (var writer = PartialFileWriter.Open(_fileSystem, request, 0, NullLogger.Instance))
        {
            await writer.WriteAsync("abc"u8.ToArray(), CancellationToken.None);
            await writer.EndAttemptAsync(3);
        }

        Assert.Equal("abc"u8.ToArray(), File.ReadAllBytes(request.PartialPath));
        Assert.Equal([3L], _progress);
        _partials.DidNotReceiveWithAnyArgs().Remove(default!);
    }

    [Fact]
    public async Task DeleteAfterFailure_DeletesTheFileAndForgetsIt()
    {
        var request = Request();
        var writer = PartialFileWriter.Open(_fileSystem, request, 0, NullLogger.Instance);
        await writer.WriteAsync("<html>"u8.ToArray(), CancellationToken.None);

        writer.DeleteAfterFailure();
        writer.Dispose();

        Assert.False(File.Exists(request.PartialPath));
        _partials.Received(1).Remove(request.PartialPath);
    }

    [Fact]
    public void Delete_WithoutForget_KeepsWhatIsKnown()
    {
        var request = WithEarlierAttempt("abc"u8);

        PartialFileWriter.Delete(_fileSystem, request, forget: false);

        Assert.False(File.Exists(request.PartialPath));
        _partials.DidNotReceiveWithAnyArgs().Remove(default!);
    }

    [Fact]
    public void Delete_FolderMissing_OnlyForgets()
    {
        var request = Request();

        PartialFileWriter.Delete(_fileSystem, request);

        Assert.False(Directory.Exists(Path.GetDirectoryName(request.PartialPath)));
        _partials.Received(1).Remove(request.PartialPath);
    }

    private DownloadRequest WithEarlierAttempt(ReadOnlySpan<byte> written)
    {
        var request = Request();
        Directory.CreateDirectory(Path.GetDirectoryName(request.PartialPath)!);
        File.WriteAllBytes(request.PartialPath, written.ToArray());
        return request;
    }

    private DownloadRequest Request() => new(
        new MediaKey("squat", MediaKind.Video, MediaVariantNames.Video720p),
        new Uri("https://media.example/squat.mp4"),
        Path.Combine(_directory, "tmp", "0123456789abcdef0123456789abcdef.part"),
        MaxBytes: 1024,
        ExpectedBytes: null,
        Sha256: null,
        new Progress(_progress),
        (_, _) => ValueTask.CompletedTask,
        _partials,
        TimeSpan.FromSeconds(5));

    // Synchronous, unlike Progress<T>, so a test sees each report at once.
    private sealed class Progress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
