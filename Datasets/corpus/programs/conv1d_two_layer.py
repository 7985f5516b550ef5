"""Two valid 1-D convolutions (kernel 3) with ReLU over a signal of 16 samples, then mean pooling."""
import jax.numpy as jnp

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((16,), -1.0, 1.0), ((3,), -1.0, 1.0), ((3,), -1.0, 1.0), ((), -0.1, 0.1)]


def conv(x, k):
    n = x.shape[0] - 2
    return k[0] * x[0:n] + k[1] * x[1:n + 1] + k[2] * x[2:n + 2]


def fn(x, k1, k2, bias):
    h = jnp.maximum(conv(x, k1) + bias, 0.0)
    y = conv(h, k2)
    return y, jnp.mean(y)
