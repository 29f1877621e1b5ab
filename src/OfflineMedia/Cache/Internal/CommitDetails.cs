namespace OfflineMedia.Cache.Internal;

/// <summary>What a commit of a download does besides writing its row.</summary>
/// <param name="CompletedPartial">The name of the partial file it completes, whose resume record goes.</param>
/// <param name="CommitId">Tells this commit of the path from others, for the flush that forgets it.</param>
/// <param name="LeaseOwner">The cache instance whose lease on the key ends with the commit.</param>
/// <param name="MoveIntoPlace">Moves the file into place, inside the commit's write transaction.</param>
internal readonly record struct CommitDetails(string? CompletedPartial, long CommitId, string? LeaseOwner = null, Action? MoveIntoPlace = null);
