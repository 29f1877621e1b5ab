using OfflineMedia.Storage.Internal;

namespace OfflineMedia.Sync.Internal;

/// <summary>Reports progress to the caller and to the events a UI binds to.</summary>
internal sealed class EventProgress(IProgress<SyncProgress>? caller, OfflineMediaEvents events) : IProgress<SyncProgress>
{
    public void Report(SyncProgress value)
    {
        caller?.Report(value);
        events.Progress(value);
    }
}
