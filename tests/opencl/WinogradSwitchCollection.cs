namespace Grad.Tests.OpenCL;

/// <summary>The test classes that switch <see cref="Grad.OpenCL.OpenCLBackend.Winograd"/> on the shared
/// backend, or check which path a convolution took: one at a time, so none sees another's switch.</summary>
[CollectionDefinition(Name)]
public sealed class WinogradSwitchCollection
{
    public const string Name = "The Winograd switch";
}
