using Grad.Backends;
using Grad.Cpu;
using Grad.Tests.Core;

namespace Grad.Tests.Unit.Cpu;

/// <summary>Which convolutions the CPU backend hands to Winograd, and which of its two algorithms;
/// the numbers every algorithm gives are checked by the neutral <see cref="ConvolutionTests"/>.</summary>
public class WinogradTests
{
    [Theory]
    [InlineData(128, 8, 256, 1, 1, true, true)]     // the CNN's 8×8, 16×16 and 4×4 layers
    [InlineData(64, 16, 128, 1, 1, true, true)]
    [InlineData(512, 4, 512, 1, 1, true, false)]    // F(4×4): 32 tiles in the batch, too few
    [InlineData(64, 32, 64, 1, 1, true, true)]      // 32×32 with enough channels
    [InlineData(256, 6, 256, 1, 1, true, false)]    // F(4×4) needs as many products as F(2×2)
    [InlineData(128, 10, 128, 1, 1, true, false)]   // 81 % of F(2×2)'s products: too few saved
    [InlineData(3, 32, 64, 1, 1, false, false)]     // too few input channels
    [InlineData(64, 64, 64, 1, 1, false, false)]    // 64×64: unmeasured
    [InlineData(512, 2, 512, 1, 1, false, false)]   // one tile per image
    [InlineData(128, 8, 256, 2, 1, false, false)]   // strided
    [InlineData(128, 8, 256, 1, 0, false, false)]   // unpadded
    public void Winograd_takes_the_layers_it_is_faster_on(int c, int size, int o, int stride, int padding,
        bool winograd, bool f4)
    {
        var layout = ConvLayout.Of(new Shape(32, c, size, size), new Shape(o, c, 3, 3), new Conv2dGeometry(stride, padding));
        Assert.Equal(winograd, Conv2dWinograd.Applies(layout));
        if (winograd) Assert.Equal(f4, Conv2dWinograd.PrefersF4(layout));
    }

    [Fact]
    public void The_cases_cover_both_Winograd_algorithms()
    {
        var winograd = ConvolutionTests.Cases().Cast<object[]>().Select(row => (ConvolutionTests.Case)row[0])
            .Select(c => ConvLayout.Of(c.Input, c.Weight, c.G))
            .Where(Conv2dWinograd.Applies).ToList();
        Assert.Equal(5, winograd.Count(layout => !Conv2dWinograd.PrefersF4(layout)));
        Assert.Equal(4, winograd.Count(Conv2dWinograd.PrefersF4));
    }
}
