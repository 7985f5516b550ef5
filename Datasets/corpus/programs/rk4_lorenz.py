"""Two classical RK4 steps of the Lorenz system, parameters as inputs."""
import jax.numpy as jnp

DOMAIN = "numerics"
SPLIT = "train"
# x, y, z, sigma, rho, beta, dt
INPUTS = [((), -2.0, 2.0), ((), -2.0, 2.0), ((), 10.0, 20.0), ((), 9.0, 11.0), ((), 26.0, 30.0), ((), 2.5, 2.8), ((), 0.005, 0.01)]


def rhs(s, sigma, rho, beta):
    x, y, z = s
    return sigma * (y - x), x * (rho - z) - y, x * y - beta * z


def fn(x, y, z, sigma, rho, beta, dt):
    s = (x, y, z)
    for _ in range(2):
        k1 = rhs(s, sigma, rho, beta)
        k2 = rhs(tuple(s[i] + 0.5 * dt * k1[i] for i in range(3)), sigma, rho, beta)
        k3 = rhs(tuple(s[i] + 0.5 * dt * k2[i] for i in range(3)), sigma, rho, beta)
        k4 = rhs(tuple(s[i] + dt * k3[i] for i in range(3)), sigma, rho, beta)
        s = tuple(s[i] + dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]) for i in range(3))
    return s
