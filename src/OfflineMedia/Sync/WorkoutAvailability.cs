namespace OfflineMedia.Sync;

/// <summary>How much of a workout's media is on the device.</summary>
public enum WorkoutAvailability
{
    /// <summary>None of it: the workout needs the network.</summary>
    None,

    /// <summary>Some of it.</summary>
    Partial,

    /// <summary>All of it: the workout works offline.</summary>
    Full,
}
