namespace OfflineMedia.Fleet.Devices;

/// <summary>
/// Marks the requests of one sync (it flows with the sync's async calls), so a request can be told apart as part of a
/// scheduled check that found nothing due or of a sync that ran.
/// </summary>
internal sealed class SyncTag
{
    private static readonly AsyncLocal<SyncTag?> s_current = new();

    private volatile bool _ran;

    public static SyncTag? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    /// <summary>Gets whether this is the scheduled loop's call, rather than an explicit "Sync now".</summary>
    public required bool Scheduled { get; init; }

    /// <summary>Gets or sets whether the call ran a sync (a scheduled call that finds nothing due returns no report).</summary>
    public bool Ran
    {
        get => _ran;
        set => _ran = value;
    }
}
