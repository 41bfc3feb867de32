using Grad.Backends;
using Grad.Cpu;
using Grad.OpenCL;

namespace Grad.Tests.OpenCL;

/// <summary>Which convolutions the OpenCL backend runs by Winograd: those the CPU's rule hands it,
/// unless switched off or too large for the kernels' int offsets. (That the path is taken, and
/// right, is checked in <see cref="CpuAgreementTests"/>.)</summary>
[Collection(WinogradSwitchCollection.Name)]
public class WinogradChoiceTests(BackendFixture device) : IClassFixture<BackendFixture>
{
    private OpenCLBackend Backend => (OpenCLBackend)device.Backend;

    private static ConvLayout Layer(int batch) =>
        ConvLayout.Of(new Shape(batch, 512, 32, 32), new Shape(512, 512, 3, 3), new Conv2dGeometry(1, 1));

    [Fact]
    public void A_batch_whose_transformed_tiles_overflow_an_int_takes_im2col()
    {
        Assert.True(Conv2dWinograd.Applies(Layer(2048)));
        Assert.True(Backend.UsesWinograd(Layer(32)));
        // 36 positions × 512 channels × 2048·64 tiles: 2.4 billion elements (the input has 1.07).
        Assert.False(Backend.UsesWinograd(Layer(2048)));
    }

    [Fact]
    public void Switched_off_every_layer_takes_im2col()
    {
        bool before = Backend.Winograd;
        try
        {
            Backend.Winograd = false;
            Assert.False(Backend.UsesWinograd(Layer(32)));
        }
        finally
        {
            Backend.Winograd = before;
        }
    }
}
