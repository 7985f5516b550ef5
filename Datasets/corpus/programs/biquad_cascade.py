"""Two cascaded biquad (second-order IIR) sections filtering eight samples, with the output's energy."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "heldout"
# eight input samples, then b0 b1 b2 a1 a2 of section one and of section two
INPUTS = [((), -1.0, 1.0)] * 8 + [((), 0.1, 0.3), ((), 0.1, 0.4), ((), 0.1, 0.3), ((), -0.6, -0.3), ((), 0.05, 0.2),
                                  ((), 0.1, 0.3), ((), -0.4, -0.1), ((), 0.1, 0.3), ((), -0.5, -0.2), ((), 0.05, 0.2)]


def biquad(xs, b0, b1, b2, a1, a2):
    x1 = x2 = y1 = y2 = 0.0
    ys = []
    for x in xs:
        y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1, y2, y1 = x1, x, y1, y
        ys.append(y)
    return ys


def fn(*args):
    xs, p, q = args[:8], args[8:13], args[13:18]
    ys = biquad(biquad(xs, *p), *q)
    energy = ys[0] * ys[0]
    for y in ys[1:]:
        energy = energy + y * y
    return ys[-1], ys[-2], energy
