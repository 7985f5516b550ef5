"""Five Heun (explicit trapezoid) steps of the Lotka-Volterra predator-prey model."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# prey, predator, alpha, beta, gamma, delta, dt
INPUTS = [((), 5.0, 10.0), ((), 2.0, 5.0), ((), 0.9, 1.1), ((), 0.08, 0.12), ((), 0.9, 1.1), ((), 0.08, 0.12), ((), 0.01, 0.05)]


def rhs(u, w, alpha, beta, gamma, delta):
    return alpha * u - beta * u * w, delta * u * w - gamma * w


def fn(u, w, alpha, beta, gamma, delta, dt):
    for _ in range(5):
        fu, fw = rhs(u, w, alpha, beta, gamma, delta)
        gu, gw = rhs(u + dt * fu, w + dt * fw, alpha, beta, gamma, delta)
        u, w = u + 0.5 * dt * (fu + gu), w + 0.5 * dt * (fw + gw)
    return u, w
