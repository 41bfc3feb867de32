namespace Grad.Layers;

/// <summary>Softmax cross-entropy over logits (B, K), averaged over the batch, against one-hot or
/// probability targets (B, K) or against (B,) int32 class indices (same loss and gradient as their
/// one-hot rows). Its backward is (softmax(x) − t) / B.</summary>
[Layer]
public sealed partial record CrossEntropy
{
    [Forward]
    public Tensor Forward(Tensor logits, [NoGrad] Tensor targets) => SoftmaxCrossEntropy(logits, targets);
}
