using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using OfflineMedia.Profiles.Internal;

namespace OfflineMedia.Tests.Profiles;

public sealed class DriveStorageProbeTests : IDisposable
{
    private readonly string _tempRoot = Path.Combine(Path.GetTempPath(), "om-drive-" + Guid.NewGuid().ToString("N"));

    public DriveStorageProbeTests() => Directory.CreateDirectory(_tempRoot);

    public void Dispose() => Directory.Delete(_tempRoot, recursive: true);

    [Fact]
    public void GetAvailableBytes_ExistingFolder_IsPositive()
    {
        var probe = new DriveStorageProbe(new FileSystem(), NullLogger<DriveStorageProbe>.Instance);

        Assert.True(probe.GetAvailableBytes(_tempRoot) > 0);
    }

    [Fact]
    public void GetAvailableBytes_FolderThatDoesNotExistYet_IsTheDrivesFreeSpace()
    {
        var probe = new DriveStorageProbe(new FileSystem(), NullLogger<DriveStorageProbe>.Instance);
        var missing = Path.Combine(_tempRoot, "not", "yet", "cache");

        var bytes = probe.GetAvailableBytes(missing);

        Assert.True(bytes > 0);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void GetAvailableBytes_MockFileSystem_AsksTheDriveOfTheNearestExistingAncestor()
    {
        var root = Path.GetPathRoot(Path.GetTempPath())!;
        var fileSystem = new MockFileSystem();
        fileSystem.AddDrive(root, new MockDriveData { AvailableFreeSpace = 123_456_789, TotalSize = 1_000_000_000, TotalFreeSpace = 123_456_789 });
        var existing = fileSystem.Path.Combine(root, "data");
        fileSystem.AddDirectory(existing);
        var probe = new DriveStorageProbe(fileSystem, NullLogger<DriveStorageProbe>.Instance);

        Assert.Equal(123_456_789, probe.GetAvailableBytes(existing));
        Assert.Equal(123_456_789, probe.GetAvailableBytes(fileSystem.Path.Combine(existing, "cache", "media")));
    }

    [Fact]
    public void GetAvailableBytes_DriveThrowsIOException_IsZero()
    {
        var fileSystem = Substitute.For<IFileSystem>();
        fileSystem.Path.GetFullPath(Arg.Any<string>()).Returns(ci => ci.Arg<string>());
        fileSystem.Directory.Exists(Arg.Any<string>()).Returns(true);
        fileSystem.DriveInfo.New(Arg.Any<string>()).Throws(new DriveNotFoundException("gone"));
        var probe = new DriveStorageProbe(fileSystem, NullLogger<DriveStorageProbe>.Instance);

        Assert.Equal(0, probe.GetAvailableBytes("/cache"));
    }

    [Fact]
    public void GetAvailableBytes_AccessDenied_IsZero()
    {
        var fileSystem = Substitute.For<IFileSystem>();
        fileSystem.Path.GetFullPath(Arg.Any<string>()).Returns(ci => ci.Arg<string>());
        fileSystem.Directory.Exists(Arg.Any<string>()).Throws(new UnauthorizedAccessException());
        var probe = new DriveStorageProbe(fileSystem, NullLogger<DriveStorageProbe>.Instance);

        Assert.Equal(0, probe.GetAvailableBytes("/cache"));
    }

    [Fact]
    public void GetAvailableBytes_FreeSpaceThrows_IsZeroAndLogsAWarning()
    {
        var drive = Substitute.For<IDriveInfo>();
        drive.AvailableFreeSpace.Throws(new IOException("device not ready"));
        var fileSystem = Substitute.For<IFileSystem>();
        fileSystem.Path.GetFullPath(Arg.Any<string>()).Returns(ci => ci.Arg<string>());
        fileSystem.Directory.Exists(Arg.Any<string>()).Returns(true);
        fileSystem.DriveInfo.New(Arg.Any<string>()).Returns(drive);
        var logger = Substitute.For<ILogger<DriveStorageProbe>>();
        logger.IsEnabled(Arg.Any<LogLevel>()).Returns(true);
        var probe = new DriveStorageProbe(fileSystem, logger);

        Assert.Equal(0, probe.GetAvailableBytes("/cache"));
        logger.Received(1).Log(
            LogLevel.Warning,
            Arg.Any<EventId>(),
            Arg.Any<Arg.AnyType>(),
            Arg.Is<Exception?>(e => e is IOException),
            Arg.Any<Func<Arg.AnyType, Exception?, string>>());
    }

    [Fact]
    public void GetAvailableBytes_NegativeFreeSpace_IsZero()
    {
        var drive = Substitute.For<IDriveInfo>();
        drive.AvailableFreeSpace.Returns(-5);
        var fileSystem = Substitute.For<IFileSystem>();
        fileSystem.Path.GetFullPath(Arg.Any<string>()).Returns(ci => ci.Arg<string>());
        fileSystem.Directory.Exists(Arg.Any<string>()).Returns(true);
        fileSystem.DriveInfo.New(Arg.Any<string>()).Returns(drive);
        var probe = new DriveStorageProbe(fileSystem, NullLogger<DriveStorageProbe>.Instance);

        Assert.Equal(0, probe.GetAvailableBytes("/cache"));
    }

    [Fact]
    public void GetAvailableBytes_InvalidPath_IsZero()
    {
        var probe = new DriveStorageProbe(new FileSystem(), NullLogger<DriveStorageProbe>.Instance);

        Assert.Equal(0, probe.GetAvailableBytes(_tempRoot + "/bad\0name"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void GetAvailableBytes_NoPath_Throws(string? path)
    {
        var probe = new DriveStorageProbe(new FileSystem(), NullLogger<DriveStorageProbe>.Instance);

        Assert.ThrowsAny<ArgumentException>(() => probe.GetAvailableBytes(path!));
    }
}
