"""Four Euler steps of a three-stage enzyme cascade with Michaelis-Menten activation and first-order decay."""
import jax.numpy as jnp

DOMAIN = "chemistry"
SPLIT = "train"
# signal, three active fractions, three vmax, three Km, decay rate, dt
INPUTS = [((), 0.5, 1.5)] + [((), 0.1, 0.3)] * 3 + [((), 0.8, 1.2)] * 3 + [((), 0.2, 0.5)] * 3 + [((), 0.1, 0.3), ((), 0.05, 0.1)]


def fn(signal, x1, x2, x3, v1, v2, v3, k1, k2, k3, decay, dt):
    x = [x1, x2, x3]
    for _ in range(4):
        drive = [signal, x[0], x[1]]
        new = []
        for i, (v, k) in enumerate(zip((v1, v2, v3), (k1, k2, k3))):
            inactive = 1.0 - x[i]
            rate = v * drive[i] * inactive / (k + inactive) - decay * x[i]
            new.append(x[i] + dt * rate)
        x = new
    return tuple(x)
