"""Three-layer MLP (6 -> 12 -> 12 -> 3) with tanh-approximated GELU, weights and biases as inputs."""
import jax.numpy as jnp
import jax

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((6,), -1.0, 1.0), ((6, 12), -0.5, 0.5), ((12,), -0.1, 0.1), ((12, 12), -0.3, 0.3), ((12,), -0.1, 0.1),
          ((12, 3), -0.3, 0.3), ((3,), -0.1, 0.1)]


def fn(x, w1, b1, w2, b2, w3, b3):
    h = jax.nn.gelu(x @ w1 + b1, approximate=True)
    h = jax.nn.gelu(h @ w2 + b2, approximate=True)
    return (h @ w3 + b3,)
