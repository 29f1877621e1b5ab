namespace OfflineMedia.Fleet.Origins;

/// <summary>One request as the origin answered it.</summary>
/// <param name="IsMedia">Whether it asked for a media file (under <c>/media/</c>), rather than the API.</param>
/// <param name="Status">The status answered.</param>
/// <param name="BodyBytes">The body bytes sent, headers not counted.</param>
internal readonly record struct OriginHit(bool IsMedia, int Status, long BodyBytes);
