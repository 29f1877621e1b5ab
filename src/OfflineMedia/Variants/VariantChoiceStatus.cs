namespace OfflineMedia.Variants;

/// <summary>How a <see cref="VariantChoice"/> came about.</summary>
public enum VariantChoiceStatus
{
    /// <summary>The settings do not want this media (videos are turned off).</summary>
    NotWanted,

    /// <summary>The media API offers no variant of this media at all: show a placeholder.</summary>
    NotAvailable,

    /// <summary>The variant the rules asked for.</summary>
    Exact,

    /// <summary>The variant the rules asked for is missing; this is the nearest on its ladder.</summary>
    Nearest,
}
