"""LSTM unrolled over three steps with stacked gate weights (input width 5, hidden width 4): last hidden and cell state."""
import jax.numpy as jnp
import jax

DOMAIN = "ml"
SPLIT = "train"
INPUTS = [((3, 5), -1.0, 1.0), ((4,), -1.0, 1.0), ((4,), -1.0, 1.0), ((5, 16), -0.4, 0.4), ((4, 16), -0.4, 0.4), ((16,), -0.1, 0.1)]


def fn(xs, h, c, w, u, b):
    for t in range(3):
        gates = xs[t] @ w + h @ u + b
        i = jax.nn.sigmoid(gates[0:4])
        f = jax.nn.sigmoid(gates[4:8] + 1.0)
        g = jnp.tanh(gates[8:12])
        o = jax.nn.sigmoid(gates[12:16])
        c = f * c + i * g
        h = o * jnp.tanh(c)
    return h, c
