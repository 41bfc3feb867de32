using Grad.Cpu;

namespace Grad.Tests.Unit.Cpu;

public class ShortCopyTests
{
    [Fact]
    public unsafe void Every_length_up_to_past_the_inline_limit_copies_exactly_those_bytes()
    {
        var source = Enumerable.Range(0, 320).Select(i => (byte)(i * 7 + 1)).ToArray();
        for (int length = 0; length <= 300; length++)
        {
            // Offsets of 1 and 3: the vector moves must not assume alignment.
            var target = new byte[source.Length];
            fixed (byte* s = source, t = target) ShortCopy.Copy(t + 3, s + 1, (uint)length);
            Assert.True(target.AsSpan(3, length).SequenceEqual(source.AsSpan(1, length)), $"length {length}: copied bytes differ");
            Assert.True(target.AsSpan(0, 3).IndexOfAnyExcept((byte)0) < 0, $"length {length}: wrote before the target");
            Assert.True(target.AsSpan(3 + length).IndexOfAnyExcept((byte)0) < 0, $"length {length}: wrote past the end");
        }
    }
}
