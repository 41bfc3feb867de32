namespace Grad.OpenCL;

/// <summary>What <c>grad tune</c> found on one device and driver: the GEMM's parameters, and whether
/// Winograd beat im2col + GEMM on a 3×3 layer (<see cref="ConvolutionTuner"/>).</summary>
public sealed record DeviceTuning(GemmParameters Gemm, bool Winograd);
