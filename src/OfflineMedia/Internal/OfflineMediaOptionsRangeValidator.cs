using Microsoft.Extensions.Options;

namespace OfflineMedia.Internal;

/// <summary>
/// Checks the ranges declared on <see cref="OfflineMediaOptions"/> (<see cref="OptionRangeAttribute"/>,
/// <see cref="TimeSpanRangeAttribute"/>). The body is generated at build time, without reflection, so it stays trim-
/// and AOT-safe; <see cref="OfflineMediaOptionsValidator"/> runs it with the rules that attributes cannot express.
/// </summary>
[OptionsValidator]
internal sealed partial class OfflineMediaOptionsRangeValidator : IValidateOptions<OfflineMediaOptions>;
