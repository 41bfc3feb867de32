using Grad.Generators.Autodiff;
using Grad.Generators.Model;

namespace Grad.Generators.Emit;

/// <summary>One way through a forward's conditions (the whole forward when it has none), fused
/// and differentiated: what one branch of each generated method computes.</summary>
internal sealed record ForwardVariant(ForwardSpec Forward, BackwardProgram Backward, TapeLayout Tape);
