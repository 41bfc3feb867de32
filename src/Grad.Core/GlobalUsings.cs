global using static Grad.Ops;
