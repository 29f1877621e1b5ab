using OfflineMedia.Cache;
using OfflineMedia.Sync.Internal;

namespace OfflineMedia.Tests.Sync;

public sealed class TryEndsTests
{
    public static TheoryData<string, bool, bool, bool, string> Cases => new()
    {
        { "cancel", true, true, true, "Caller" },
        { "network", true, false, false, "Caller" },
        { "cancel", false, true, true, "Timeout" },
        { "http", false, true, false, "Timeout" },
        { "cancel", false, false, true, "NetworkLost" },
        { "network", false, false, true, "NetworkLost" },
        { "http", false, false, true, "Fault" },
        { "cancel", false, false, false, "Unexplained" },
        { "network", false, false, false, "Fault" },
        { "other", false, false, true, "none" },
        { "other", true, false, false, "none" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Of_ClassifiesOnceCallerFirstThenTheTimeLimitThenTheNetwork(string thrown, bool callerCanceled, bool timedOut, bool networkLost, string expected)
    {
        Exception exception = thrown switch
        {
            "cancel" => new OperationCanceledException(),
            "network" => new MediaCacheException(MediaCacheError.Network, "dropped"),
            "http" => new MediaCacheException(MediaCacheError.HttpStatus, "503"),
            _ => new InvalidOperationException("a bug"),
        };

        Assert.Equal(expected, TryEnds.Of(exception, callerCanceled, timedOut, networkLost)?.ToString() ?? "none");
    }
}
