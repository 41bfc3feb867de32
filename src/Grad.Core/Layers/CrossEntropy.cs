namespace Grad.Layers;

/// <summary>Softmax cross-entropy over logits (B, K) against one-hot or probability targets
/// (B, K), averaged over the batch. Its backward is (softmax(x) − t) / B.</summary>
[Layer]
public sealed partial record CrossEntropy
{
    [Forward]
    public Tensor Forward(Tensor logits, [NoGrad] Tensor targets) => SoftmaxCrossEntropy(logits, targets);
}
